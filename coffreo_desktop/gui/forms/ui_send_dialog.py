# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'send_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QDialog, QHBoxLayout,
    QHeaderView, QLabel, QProgressBar, QPushButton,
    QSizePolicy, QSpacerItem, QTableView, QVBoxLayout,
    QWidget)

class Ui_SendDialog(object):
    def setupUi(self, SendDialog):
        if not SendDialog.objectName():
            SendDialog.setObjectName(u"SendDialog")
        SendDialog.resize(820, 560)
        SendDialog.setMinimumSize(QSize(640, 420))
        self.mainLayout = QVBoxLayout(SendDialog)
        self.mainLayout.setSpacing(10)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(20, 18, 20, 16)
        self.headline = QLabel(SendDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setWordWrap(True)

        self.mainLayout.addWidget(self.headline)

        self.overallBar = QProgressBar(SendDialog)
        self.overallBar.setObjectName(u"overallBar")
        self.overallBar.setValue(0)

        self.mainLayout.addWidget(self.overallBar)

        self.waitingLabel = QLabel(SendDialog)
        self.waitingLabel.setObjectName(u"waitingLabel")
        self.waitingLabel.setWordWrap(True)
        self.waitingLabel.setVisible(False)

        self.mainLayout.addWidget(self.waitingLabel)

        self.table = QTableView(SendDialog)
        self.table.setObjectName(u"table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)

        self.mainLayout.addWidget(self.table)

        self.summaryLabel = QLabel(SendDialog)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.summaryLabel)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.exportButton = QPushButton(SendDialog)
        self.exportButton.setObjectName(u"exportButton")
        self.exportButton.setEnabled(False)

        self.buttonRow.addWidget(self.exportButton)

        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonSpacer)

        self.resumeButton = QPushButton(SendDialog)
        self.resumeButton.setObjectName(u"resumeButton")
        self.resumeButton.setVisible(False)

        self.buttonRow.addWidget(self.resumeButton)

        self.stopButton = QPushButton(SendDialog)
        self.stopButton.setObjectName(u"stopButton")

        self.buttonRow.addWidget(self.stopButton)

        self.closeButton = QPushButton(SendDialog)
        self.closeButton.setObjectName(u"closeButton")
        self.closeButton.setEnabled(False)

        self.buttonRow.addWidget(self.closeButton)


        self.mainLayout.addLayout(self.buttonRow)


        self.retranslateUi(SendDialog)

        QMetaObject.connectSlotsByName(SendDialog)
    # setupUi

    def retranslateUi(self, SendDialog):
        SendDialog.setWindowTitle(QCoreApplication.translate("SendDialog", u"Envoi des documents", None))
        self.headline.setText(QCoreApplication.translate("SendDialog", u"Pr\u00e9paration de l'envoi\u2026", None))
        self.overallBar.setFormat(QCoreApplication.translate("SendDialog", u"%v / %m", None))
#if QT_CONFIG(accessibility)
        self.overallBar.setAccessibleName(QCoreApplication.translate("SendDialog", u"Avancement de l'envoi", None))
#endif // QT_CONFIG(accessibility)
        self.waitingLabel.setText("")
#if QT_CONFIG(accessibility)
        self.table.setAccessibleName(QCoreApplication.translate("SendDialog", u"Documents de l'envoi", None))
#endif // QT_CONFIG(accessibility)
        self.summaryLabel.setText("")
        self.exportButton.setText(QCoreApplication.translate("SendDialog", u"Exporter le r\u00e9sum\u00e9 (CSV)\u2026", None))
        self.resumeButton.setText(QCoreApplication.translate("SendDialog", u"Reprendre l'envoi", None))
        self.stopButton.setText(QCoreApplication.translate("SendDialog", u"Arr\u00eater l'envoi", None))
        self.closeButton.setText(QCoreApplication.translate("SendDialog", u"Fermer", None))
    # retranslateUi

