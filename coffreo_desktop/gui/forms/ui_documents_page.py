# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'documents_page.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox,
    QFrame, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QSpacerItem,
    QStackedWidget, QTableView, QToolButton, QVBoxLayout,
    QWidget)
class Ui_DocumentsPage(object):
    def setupUi(self, DocumentsPage):
        if not DocumentsPage.objectName():
            DocumentsPage.setObjectName(u"DocumentsPage")
        DocumentsPage.resize(1100, 700)
        self.pageLayout = QVBoxLayout(DocumentsPage)
        self.pageLayout.setSpacing(10)
        self.pageLayout.setObjectName(u"pageLayout")
        self.pageLayout.setContentsMargins(24, 18, 24, 12)
        self.titleLabel = QLabel(DocumentsPage)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setProperty(u"role", u"title")

        self.pageLayout.addWidget(self.titleLabel)

        self.searchCard = QFrame(DocumentsPage)
        self.searchCard.setObjectName(u"searchCard")
        self.searchCard.setProperty(u"role", u"card")
        self.searchLayout = QVBoxLayout(self.searchCard)
        self.searchLayout.setSpacing(8)
        self.searchLayout.setObjectName(u"searchLayout")
        self.searchLayout.setContentsMargins(14, 10, 14, 10)
        self.filtersRow = QHBoxLayout()
        self.filtersRow.setSpacing(10)
        self.filtersRow.setObjectName(u"filtersRow")
        self.scopeLabel = QLabel(self.searchCard)
        self.scopeLabel.setObjectName(u"scopeLabel")

        self.filtersRow.addWidget(self.scopeLabel)

        self.scopeCombo = QComboBox(self.searchCard)
        self.scopeCombo.setObjectName(u"scopeCombo")
        self.scopeCombo.setMinimumSize(QSize(220, 0))

        self.filtersRow.addWidget(self.scopeCombo)

        self.typeLabel = QLabel(self.searchCard)
        self.typeLabel.setObjectName(u"typeLabel")

        self.filtersRow.addWidget(self.typeLabel)

        self.typeCombo = QComboBox(self.searchCard)
        self.typeCombo.setObjectName(u"typeCombo")
        self.typeCombo.setMinimumSize(QSize(230, 0))

        self.filtersRow.addWidget(self.typeCombo)

        self.periodLabel = QLabel(self.searchCard)
        self.periodLabel.setObjectName(u"periodLabel")

        self.filtersRow.addWidget(self.periodLabel)

        self.periodCombo = QComboBox(self.searchCard)
        self.periodCombo.setObjectName(u"periodCombo")
        self.periodCombo.setMinimumSize(QSize(140, 0))

        self.filtersRow.addWidget(self.periodCombo)

        self.signedCheck = QCheckBox(self.searchCard)
        self.signedCheck.setObjectName(u"signedCheck")
        self.signedCheck.setChecked(True)

        self.filtersRow.addWidget(self.signedCheck)

        self.unsignedCheck = QCheckBox(self.searchCard)
        self.unsignedCheck.setObjectName(u"unsignedCheck")
        self.unsignedCheck.setChecked(True)

        self.filtersRow.addWidget(self.unsignedCheck)

        self.searchSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.filtersRow.addItem(self.searchSpacer)


        self.searchLayout.addLayout(self.filtersRow)

        self.advancedRow = QHBoxLayout()
        self.advancedRow.setSpacing(10)
        self.advancedRow.setObjectName(u"advancedRow")
        self.invoiceStateLabel = QLabel(self.searchCard)
        self.invoiceStateLabel.setObjectName(u"invoiceStateLabel")

        self.advancedRow.addWidget(self.invoiceStateLabel)

        self.invoiceStateCombo = QComboBox(self.searchCard)
        self.invoiceStateCombo.setObjectName(u"invoiceStateCombo")
        self.invoiceStateCombo.setMinimumSize(QSize(150, 0))

        self.advancedRow.addWidget(self.invoiceStateCombo)

        self.advancedCheck = QCheckBox(self.searchCard)
        self.advancedCheck.setObjectName(u"advancedCheck")

        self.advancedRow.addWidget(self.advancedCheck)

        self.criterionCombo = QComboBox(self.searchCard)
        self.criterionCombo.setObjectName(u"criterionCombo")
        self.criterionCombo.setMinimumSize(QSize(170, 0))

        self.advancedRow.addWidget(self.criterionCombo)

        self.valueEdit = QLineEdit(self.searchCard)
        self.valueEdit.setObjectName(u"valueEdit")
        self.valueEdit.setClearButtonEnabled(True)
        self.valueEdit.setMaxLength(200)

        self.advancedRow.addWidget(self.valueEdit)

        self.searchButton = QPushButton(self.searchCard)
        self.searchButton.setObjectName(u"searchButton")

        self.advancedRow.addWidget(self.searchButton)


        self.searchLayout.addLayout(self.advancedRow)


        self.pageLayout.addWidget(self.searchCard)

        self.resultBar = QHBoxLayout()
        self.resultBar.setSpacing(8)
        self.resultBar.setObjectName(u"resultBar")
        self.countLabel = QLabel(DocumentsPage)
        self.countLabel.setObjectName(u"countLabel")
        self.countLabel.setText(u"")

        self.resultBar.addWidget(self.countLabel)

        self.loadErrorLabel = QLabel(DocumentsPage)
        self.loadErrorLabel.setObjectName(u"loadErrorLabel")
        self.loadErrorLabel.setText(u"")
        self.loadErrorLabel.setProperty(u"role", u"error")

        self.resultBar.addWidget(self.loadErrorLabel)

        self.resumeButton = QPushButton(DocumentsPage)
        self.resumeButton.setObjectName(u"resumeButton")

        self.resultBar.addWidget(self.resumeButton)

        self.offlineLabel = QLabel(DocumentsPage)
        self.offlineLabel.setObjectName(u"offlineLabel")
        self.offlineLabel.setText(u"")
        self.offlineLabel.setProperty(u"role", u"notice")
        self.offlineLabel.setWordWrap(True)

        self.resultBar.addWidget(self.offlineLabel)

        self.resultSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.resultBar.addItem(self.resultSpacer)

        self.savedListsCombo = QComboBox(DocumentsPage)
        self.savedListsCombo.setObjectName(u"savedListsCombo")
        self.savedListsCombo.setMinimumSize(QSize(200, 0))

        self.resultBar.addWidget(self.savedListsCombo)

        self.keepListButton = QPushButton(DocumentsPage)
        self.keepListButton.setObjectName(u"keepListButton")

        self.resultBar.addWidget(self.keepListButton)

        self.pinButton = QPushButton(DocumentsPage)
        self.pinButton.setObjectName(u"pinButton")
        self.pinButton.setCheckable(True)

        self.resultBar.addWidget(self.pinButton)

        self.exportButton = QPushButton(DocumentsPage)
        self.exportButton.setObjectName(u"exportButton")

        self.resultBar.addWidget(self.exportButton)

        self.refreshButton = QToolButton(DocumentsPage)
        self.refreshButton.setObjectName(u"refreshButton")

        self.resultBar.addWidget(self.refreshButton)


        self.pageLayout.addLayout(self.resultBar)

        self.resultStack = QStackedWidget(DocumentsPage)
        self.resultStack.setObjectName(u"resultStack")
        self.documentsTable = QTableView()
        self.documentsTable.setObjectName(u"documentsTable")
        self.documentsTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documentsTable.setAlternatingRowColors(True)
        self.documentsTable.setSortingEnabled(True)
        self.documentsTable.setWordWrap(False)
        self.documentsTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.resultStack.addWidget(self.documentsTable)
        self.emptyState = QWidget()
        self.emptyState.setObjectName(u"emptyState")
        self.emptyLayout = QVBoxLayout(self.emptyState)
        self.emptyLayout.setObjectName(u"emptyLayout")
        self.emptyTop = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.emptyLayout.addItem(self.emptyTop)

        self.emptyLabel = QLabel(self.emptyState)
        self.emptyLabel.setObjectName(u"emptyLabel")
        self.emptyLabel.setText(u"")
        self.emptyLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.emptyLabel.setWordWrap(True)
        self.emptyLabel.setProperty(u"role", u"muted")

        self.emptyLayout.addWidget(self.emptyLabel)

        self.retryButton = QPushButton(self.emptyState)
        self.retryButton.setObjectName(u"retryButton")

        self.emptyLayout.addWidget(self.retryButton)

        self.emptyBottom = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.emptyLayout.addItem(self.emptyBottom)

        self.resultStack.addWidget(self.emptyState)

        self.pageLayout.addWidget(self.resultStack)

#if QT_CONFIG(shortcut)
        self.scopeLabel.setBuddy(self.scopeCombo)
        self.typeLabel.setBuddy(self.typeCombo)
        self.periodLabel.setBuddy(self.periodCombo)
        self.invoiceStateLabel.setBuddy(self.invoiceStateCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.scopeCombo, self.typeCombo)
        QWidget.setTabOrder(self.typeCombo, self.periodCombo)
        QWidget.setTabOrder(self.periodCombo, self.signedCheck)
        QWidget.setTabOrder(self.signedCheck, self.unsignedCheck)
        QWidget.setTabOrder(self.unsignedCheck, self.invoiceStateCombo)
        QWidget.setTabOrder(self.invoiceStateCombo, self.advancedCheck)
        QWidget.setTabOrder(self.advancedCheck, self.criterionCombo)
        QWidget.setTabOrder(self.criterionCombo, self.valueEdit)
        QWidget.setTabOrder(self.valueEdit, self.searchButton)
        QWidget.setTabOrder(self.searchButton, self.documentsTable)

        self.retranslateUi(DocumentsPage)

        self.searchButton.setDefault(True)


        QMetaObject.connectSlotsByName(DocumentsPage)
    # setupUi

    def retranslateUi(self, DocumentsPage):
        self.titleLabel.setText(QCoreApplication.translate("DocumentsPage", u"Recherche de documents", None))
        self.scopeLabel.setText(QCoreApplication.translate("DocumentsPage", u"A&gence ou entit\u00e9", None))
#if QT_CONFIG(tooltip)
        self.scopeCombo.setToolTip(QCoreApplication.translate("DocumentsPage", u"Rechercher dans toutes vos agences, une entit\u00e9 (ses agences que vous voyez) ou une agence", None))
#endif // QT_CONFIG(tooltip)
        self.typeLabel.setText(QCoreApplication.translate("DocumentsPage", u"&Type", None))
        self.periodLabel.setText(QCoreApplication.translate("DocumentsPage", u"&P\u00e9riode", None))
        self.signedCheck.setText(QCoreApplication.translate("DocumentsPage", u"Sign\u00e9s", None))
        self.unsignedCheck.setText(QCoreApplication.translate("DocumentsPage", u"Non sign\u00e9s", None))
        self.invoiceStateLabel.setText(QCoreApplication.translate("DocumentsPage", u"\u00c9tat des fa&ctures", None))
        self.advancedCheck.setText(QCoreApplication.translate("DocumentsPage", u"Recherche &avanc\u00e9e", None))
        self.valueEdit.setPlaceholderText(QCoreApplication.translate("DocumentsPage", u"Valeur recherch\u00e9e (Ctrl+F)", None))
        self.searchButton.setText(QCoreApplication.translate("DocumentsPage", u"&Rechercher", None))
        self.resumeButton.setText(QCoreApplication.translate("DocumentsPage", u"Reprendre le chargement", None))
#if QT_CONFIG(tooltip)
        self.savedListsCombo.setToolTip(QCoreApplication.translate("DocumentsPage", u"Listes gard\u00e9es pour le travail hors ligne", None))
#endif // QT_CONFIG(tooltip)
        self.keepListButton.setText(QCoreApplication.translate("DocumentsPage", u"Garder la liste hors ligne", None))
#if QT_CONFIG(tooltip)
        self.keepListButton.setToolTip(QCoreApplication.translate("DocumentsPage", u"Garder ces r\u00e9sultats et leurs documents pour le travail sans connexion", None))
#endif // QT_CONFIG(tooltip)
        self.pinButton.setText(QCoreApplication.translate("DocumentsPage", u"Disponible hors ligne", None))
#if QT_CONFIG(tooltip)
        self.pinButton.setToolTip(QCoreApplication.translate("DocumentsPage", u"Garder les documents s\u00e9lectionn\u00e9s lisibles sans connexion", None))
#endif // QT_CONFIG(tooltip)
        self.exportButton.setText(QCoreApplication.translate("DocumentsPage", u"&Exporter\u2026", None))
#if QT_CONFIG(tooltip)
        self.refreshButton.setToolTip(QCoreApplication.translate("DocumentsPage", u"Actualiser (F5)", None))
#endif // QT_CONFIG(tooltip)
        self.retryButton.setText(QCoreApplication.translate("DocumentsPage", u"R\u00e9essayer", None))
        pass
    # retranslateUi

