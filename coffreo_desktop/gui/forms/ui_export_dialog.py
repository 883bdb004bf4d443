# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'export_dialog.ui'
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
    QDialog, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QProgressBar, QPushButton,
    QSizePolicy, QSpacerItem, QTreeView, QVBoxLayout,
    QWidget)

class Ui_ExportDialog(object):
    def setupUi(self, ExportDialog):
        if not ExportDialog.objectName():
            ExportDialog.setObjectName(u"ExportDialog")
        ExportDialog.resize(600, 560)
        ExportDialog.setMinimumSize(QSize(560, 0))
        self.mainLayout = QVBoxLayout(ExportDialog)
        self.mainLayout.setSpacing(10)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(20, 18, 20, 16)
        self.formBox = QWidget(ExportDialog)
        self.formBox.setObjectName(u"formBox")
        self.formLayout = QFormLayout(self.formBox)
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setHorizontalSpacing(12)
        self.formLayout.setVerticalSpacing(8)
        self.formLayout.setContentsMargins(0, 0, 0, 0)
        self.agenciesLabel = QLabel(self.formBox)
        self.agenciesLabel.setObjectName(u"agenciesLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.agenciesLabel)

        self.allAgenciesCheck = QCheckBox(self.formBox)
        self.allAgenciesCheck.setObjectName(u"allAgenciesCheck")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.allAgenciesCheck)

        self.agencyList = QTreeView(self.formBox)
        self.agencyList.setObjectName(u"agencyList")
        self.agencyList.setMinimumSize(QSize(0, 140))
        self.agencyList.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.agencyList.setHeaderHidden(True)
        self.agencyList.setRootIsDecorated(True)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.agencyList)

        self.typeLabel = QLabel(self.formBox)
        self.typeLabel.setObjectName(u"typeLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.typeLabel)

        self.typeCombo = QComboBox(self.formBox)
        self.typeCombo.setObjectName(u"typeCombo")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.typeCombo)

        self.signedLabel = QLabel(self.formBox)
        self.signedLabel.setObjectName(u"signedLabel")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.signedLabel)

        self.signedCombo = QComboBox(self.formBox)
        self.signedCombo.setObjectName(u"signedCombo")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.signedCombo)

        self.periodLabel = QLabel(self.formBox)
        self.periodLabel.setObjectName(u"periodLabel")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.periodLabel)

        self.periodCombo = QComboBox(self.formBox)
        self.periodCombo.setObjectName(u"periodCombo")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.periodCombo)

        self.invoiceLabel = QLabel(self.formBox)
        self.invoiceLabel.setObjectName(u"invoiceLabel")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.invoiceLabel)

        self.invoiceCombo = QComboBox(self.formBox)
        self.invoiceCombo.setObjectName(u"invoiceCombo")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.invoiceCombo)

        self.criterionLabel = QLabel(self.formBox)
        self.criterionLabel.setObjectName(u"criterionLabel")

        self.formLayout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.criterionLabel)

        self.criterionLayout = QHBoxLayout()
        self.criterionLayout.setObjectName(u"criterionLayout")
        self.criterionCombo = QComboBox(self.formBox)
        self.criterionCombo.setObjectName(u"criterionCombo")

        self.criterionLayout.addWidget(self.criterionCombo)

        self.valueEdit = QLineEdit(self.formBox)
        self.valueEdit.setObjectName(u"valueEdit")
        self.valueEdit.setMaxLength(200)

        self.criterionLayout.addWidget(self.valueEdit)


        self.formLayout.setLayout(6, QFormLayout.ItemRole.FieldRole, self.criterionLayout)

        self.pdfCheck = QCheckBox(self.formBox)
        self.pdfCheck.setObjectName(u"pdfCheck")

        self.formLayout.setWidget(7, QFormLayout.ItemRole.FieldRole, self.pdfCheck)

        self.targetLabel = QLabel(self.formBox)
        self.targetLabel.setObjectName(u"targetLabel")

        self.formLayout.setWidget(8, QFormLayout.ItemRole.LabelRole, self.targetLabel)

        self.targetLayout = QHBoxLayout()
        self.targetLayout.setObjectName(u"targetLayout")
        self.targetEdit = QLineEdit(self.formBox)
        self.targetEdit.setObjectName(u"targetEdit")

        self.targetLayout.addWidget(self.targetEdit)

        self.browseButton = QPushButton(self.formBox)
        self.browseButton.setObjectName(u"browseButton")
        self.browseButton.setAutoDefault(False)

        self.targetLayout.addWidget(self.browseButton)


        self.formLayout.setLayout(8, QFormLayout.ItemRole.FieldRole, self.targetLayout)


        self.mainLayout.addWidget(self.formBox)

        self.progressBar = QProgressBar(ExportDialog)
        self.progressBar.setObjectName(u"progressBar")
        self.progressBar.setVisible(False)
        self.progressBar.setTextVisible(True)

        self.mainLayout.addWidget(self.progressBar)

        self.progressLabel = QLabel(ExportDialog)
        self.progressLabel.setObjectName(u"progressLabel")
        self.progressLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.progressLabel)

        self.summaryLabel = QLabel(ExportDialog)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setVisible(False)
        self.summaryLabel.setWordWrap(True)
        self.summaryLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mainLayout.addWidget(self.summaryLabel)

        self.buttonLayout = QHBoxLayout()
        self.buttonLayout.setObjectName(u"buttonLayout")
        self.emailButton = QPushButton(ExportDialog)
        self.emailButton.setObjectName(u"emailButton")
        self.emailButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.emailButton)

        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonLayout.addItem(self.buttonSpacer)

        self.openFolderButton = QPushButton(ExportDialog)
        self.openFolderButton.setObjectName(u"openFolderButton")
        self.openFolderButton.setVisible(False)
        self.openFolderButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.openFolderButton)

        self.cancelButton = QPushButton(ExportDialog)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.cancelButton)

        self.exportButton = QPushButton(ExportDialog)
        self.exportButton.setObjectName(u"exportButton")
        self.exportButton.setProperty(u"role", u"primary")

        self.buttonLayout.addWidget(self.exportButton)


        self.mainLayout.addLayout(self.buttonLayout)

#if QT_CONFIG(shortcut)
        self.agenciesLabel.setBuddy(self.allAgenciesCheck)
        self.typeLabel.setBuddy(self.typeCombo)
        self.signedLabel.setBuddy(self.signedCombo)
        self.periodLabel.setBuddy(self.periodCombo)
        self.invoiceLabel.setBuddy(self.invoiceCombo)
        self.criterionLabel.setBuddy(self.criterionCombo)
        self.targetLabel.setBuddy(self.targetEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.allAgenciesCheck, self.agencyList)
        QWidget.setTabOrder(self.agencyList, self.typeCombo)
        QWidget.setTabOrder(self.typeCombo, self.signedCombo)
        QWidget.setTabOrder(self.signedCombo, self.periodCombo)
        QWidget.setTabOrder(self.periodCombo, self.invoiceCombo)
        QWidget.setTabOrder(self.invoiceCombo, self.criterionCombo)
        QWidget.setTabOrder(self.criterionCombo, self.valueEdit)
        QWidget.setTabOrder(self.valueEdit, self.pdfCheck)
        QWidget.setTabOrder(self.pdfCheck, self.targetEdit)
        QWidget.setTabOrder(self.targetEdit, self.browseButton)
        QWidget.setTabOrder(self.browseButton, self.exportButton)
        QWidget.setTabOrder(self.exportButton, self.cancelButton)
        QWidget.setTabOrder(self.cancelButton, self.emailButton)

        self.retranslateUi(ExportDialog)

        self.exportButton.setDefault(True)


        QMetaObject.connectSlotsByName(ExportDialog)
    # setupUi

    def retranslateUi(self, ExportDialog):
        ExportDialog.setWindowTitle(QCoreApplication.translate("ExportDialog", u"Exporter des documents", None))
        self.agenciesLabel.setText(QCoreApplication.translate("ExportDialog", u"Agences ou soci\u00e9t\u00e9s", None))
        self.allAgenciesCheck.setText(QCoreApplication.translate("ExportDialog", u"Toutes mes agences", None))
#if QT_CONFIG(tooltip)
        self.agencyList.setToolTip(QCoreApplication.translate("ExportDialog", u"Cochez une soci\u00e9t\u00e9 pour exporter toutes ses agences, ou des agences une \u00e0 une", None))
#endif // QT_CONFIG(tooltip)
        self.typeLabel.setText(QCoreApplication.translate("ExportDialog", u"Type de document", None))
        self.signedLabel.setText(QCoreApplication.translate("ExportDialog", u"Signature", None))
        self.periodLabel.setText(QCoreApplication.translate("ExportDialog", u"P\u00e9riode", None))
        self.invoiceLabel.setText(QCoreApplication.translate("ExportDialog", u"\u00c9tat des factures", None))
        self.criterionLabel.setText(QCoreApplication.translate("ExportDialog", u"Crit\u00e8re", None))
        self.valueEdit.setPlaceholderText(QCoreApplication.translate("ExportDialog", u"Valeur (par exemple le nom d'une entreprise cliente)", None))
        self.pdfCheck.setText(QCoreApplication.translate("ExportDialog", u"Ajouter \u00e0 l'export les fichiers PDF", None))
        self.targetLabel.setText(QCoreApplication.translate("ExportDialog", u"Fichier", None))
        self.targetEdit.setPlaceholderText(QCoreApplication.translate("ExportDialog", u"Fichier de l'export", None))
        self.browseButton.setText(QCoreApplication.translate("ExportDialog", u"Enregistrer sous\u2026", None))
        self.emailButton.setText(QCoreApplication.translate("ExportDialog", u"Recevoir un lien par e-mail", None))
#if QT_CONFIG(tooltip)
        self.emailButton.setToolTip(QCoreApplication.translate("ExportDialog", u"Pour les tr\u00e8s gros exports : le serveur pr\u00e9pare le fichier et vous envoie un lien.", None))
#endif // QT_CONFIG(tooltip)
        self.openFolderButton.setText(QCoreApplication.translate("ExportDialog", u"Ouvrir le dossier", None))
        self.cancelButton.setText(QCoreApplication.translate("ExportDialog", u"Annuler", None))
        self.exportButton.setText(QCoreApplication.translate("ExportDialog", u"Exporter", None))
    # retranslateUi

