# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'connection_dialog.ui'
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
from PySide6.QtWidgets import (QApplication, QButtonGroup, QCheckBox, QDialog,
    QFrame, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QRadioButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_ConnectionDialog(object):
    def setupUi(self, ConnectionDialog):
        if not ConnectionDialog.objectName():
            ConnectionDialog.setObjectName(u"ConnectionDialog")
        ConnectionDialog.resize(520, 460)
        ConnectionDialog.setMinimumSize(QSize(500, 0))
        self.mainLayout = QVBoxLayout(ConnectionDialog)
        self.mainLayout.setSpacing(14)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(28, 24, 28, 20)
        self.headerLayout = QHBoxLayout()
        self.headerLayout.setSpacing(14)
        self.headerLayout.setObjectName(u"headerLayout")
        self.logoLabel = QLabel(ConnectionDialog)
        self.logoLabel.setObjectName(u"logoLabel")
        self.logoLabel.setMinimumSize(QSize(48, 48))
        self.logoLabel.setMaximumSize(QSize(48, 48))

        self.headerLayout.addWidget(self.logoLabel)

        self.titleLayout = QVBoxLayout()
        self.titleLayout.setSpacing(2)
        self.titleLayout.setObjectName(u"titleLayout")
        self.titleLabel = QLabel(ConnectionDialog)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setProperty(u"role", u"title")

        self.titleLayout.addWidget(self.titleLabel)

        self.introLabel = QLabel(ConnectionDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)
        self.introLabel.setProperty(u"role", u"muted")

        self.titleLayout.addWidget(self.introLabel)


        self.headerLayout.addLayout(self.titleLayout)


        self.mainLayout.addLayout(self.headerLayout)

        self.localCard = QFrame(ConnectionDialog)
        self.localCard.setObjectName(u"localCard")
        self.localCard.setProperty(u"role", u"card")
        self.localLayout = QVBoxLayout(self.localCard)
        self.localLayout.setSpacing(6)
        self.localLayout.setObjectName(u"localLayout")
        self.localLayout.setContentsMargins(16, 14, 16, 14)
        self.localRadio = QRadioButton(self.localCard)
        self.modeGroup = QButtonGroup(ConnectionDialog)
        self.modeGroup.setObjectName(u"modeGroup")
        self.modeGroup.addButton(self.localRadio)
        self.localRadio.setObjectName(u"localRadio")
        self.localRadio.setChecked(True)
        self.localRadio.setProperty(u"role", u"choice")

        self.localLayout.addWidget(self.localRadio)

        self.localDetails = QVBoxLayout()
        self.localDetails.setSpacing(6)
        self.localDetails.setObjectName(u"localDetails")
        self.localDetails.setContentsMargins(26, -1, -1, -1)
        self.localHint = QLabel(self.localCard)
        self.localHint.setObjectName(u"localHint")
        self.localHint.setWordWrap(True)
        self.localHint.setProperty(u"role", u"muted")

        self.localDetails.addWidget(self.localHint)

        self.demoCheck = QCheckBox(self.localCard)
        self.demoCheck.setObjectName(u"demoCheck")

        self.localDetails.addWidget(self.demoCheck)


        self.localLayout.addLayout(self.localDetails)


        self.mainLayout.addWidget(self.localCard)

        self.remoteCard = QFrame(ConnectionDialog)
        self.remoteCard.setObjectName(u"remoteCard")
        self.remoteCard.setProperty(u"role", u"card")
        self.remoteLayout = QVBoxLayout(self.remoteCard)
        self.remoteLayout.setSpacing(6)
        self.remoteLayout.setObjectName(u"remoteLayout")
        self.remoteLayout.setContentsMargins(16, 14, 16, 14)
        self.remoteRadio = QRadioButton(self.remoteCard)
        self.modeGroup.addButton(self.remoteRadio)
        self.remoteRadio.setObjectName(u"remoteRadio")
        self.remoteRadio.setProperty(u"role", u"choice")

        self.remoteLayout.addWidget(self.remoteRadio)

        self.remoteDetails = QVBoxLayout()
        self.remoteDetails.setSpacing(6)
        self.remoteDetails.setObjectName(u"remoteDetails")
        self.remoteDetails.setContentsMargins(26, -1, -1, -1)
        self.remoteHint = QLabel(self.remoteCard)
        self.remoteHint.setObjectName(u"remoteHint")
        self.remoteHint.setWordWrap(True)
        self.remoteHint.setProperty(u"role", u"muted")

        self.remoteDetails.addWidget(self.remoteHint)

        self.urlEdit = QLineEdit(self.remoteCard)
        self.urlEdit.setObjectName(u"urlEdit")
        self.urlEdit.setPlaceholderText(u"https://coffreo.mon-groupe.fr")
        self.urlEdit.setClearButtonEnabled(True)

        self.remoteDetails.addWidget(self.urlEdit)

        self.cleartextCheck = QCheckBox(self.remoteCard)
        self.cleartextCheck.setObjectName(u"cleartextCheck")

        self.remoteDetails.addWidget(self.cleartextCheck)


        self.remoteLayout.addLayout(self.remoteDetails)


        self.mainLayout.addWidget(self.remoteCard)

        self.errorLabel = QLabel(ConnectionDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setProperty(u"role", u"error")

        self.mainLayout.addWidget(self.errorLabel)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.bottomSpacer)

        self.buttonLayout = QHBoxLayout()
        self.buttonLayout.setObjectName(u"buttonLayout")
        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonLayout.addItem(self.buttonSpacer)

        self.quitButton = QPushButton(ConnectionDialog)
        self.quitButton.setObjectName(u"quitButton")
        self.quitButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.quitButton)

        self.continueButton = QPushButton(ConnectionDialog)
        self.continueButton.setObjectName(u"continueButton")
        self.continueButton.setProperty(u"role", u"primary")

        self.buttonLayout.addWidget(self.continueButton)


        self.mainLayout.addLayout(self.buttonLayout)

        QWidget.setTabOrder(self.localRadio, self.demoCheck)
        QWidget.setTabOrder(self.demoCheck, self.remoteRadio)
        QWidget.setTabOrder(self.remoteRadio, self.urlEdit)
        QWidget.setTabOrder(self.urlEdit, self.cleartextCheck)
        QWidget.setTabOrder(self.cleartextCheck, self.continueButton)
        QWidget.setTabOrder(self.continueButton, self.quitButton)

        self.retranslateUi(ConnectionDialog)

        self.continueButton.setDefault(True)


        QMetaObject.connectSlotsByName(ConnectionDialog)
    # setupUi

    def retranslateUi(self, ConnectionDialog):
        ConnectionDialog.setWindowTitle(QCoreApplication.translate("ConnectionDialog", u"Coffreo Desktop \u2014 Connexion", None))
        self.titleLabel.setText(QCoreApplication.translate("ConnectionDialog", u"Bienvenue dans Coffreo Desktop", None))
        self.introLabel.setText(QCoreApplication.translate("ConnectionDialog", u"Choisissez o\u00f9 se trouvent les donn\u00e9es de votre groupe.", None))
        self.localRadio.setText(QCoreApplication.translate("ConnectionDialog", u"Mode local", None))
        self.localHint.setText(QCoreApplication.translate("ConnectionDialog", u"Le serveur fonctionne sur cet ordinateur ; les donn\u00e9es y restent.", None))
        self.demoCheck.setText(QCoreApplication.translate("ConnectionDialog", u"avec le groupe de d\u00e9monstration", None))
        self.remoteRadio.setText(QCoreApplication.translate("ConnectionDialog", u"Serveur distant", None))
        self.remoteHint.setText(QCoreApplication.translate("ConnectionDialog", u"Le serveur partag\u00e9 par votre groupe, \u00e0 l'adresse que vous a donn\u00e9e votre administrateur.", None))
        self.cleartextCheck.setText(QCoreApplication.translate("ConnectionDialog", u"J'accepte une connexion non chiffr\u00e9e (r\u00e9seau de test)", None))
#if QT_CONFIG(tooltip)
        self.cleartextCheck.setToolTip(QCoreApplication.translate("ConnectionDialog", u"Sans https://, les mots de passe et les documents circulent en clair sur le r\u00e9seau.", None))
#endif // QT_CONFIG(tooltip)
        self.quitButton.setText(QCoreApplication.translate("ConnectionDialog", u"Quitter", None))
        self.continueButton.setText(QCoreApplication.translate("ConnectionDialog", u"Continuer", None))
    # retranslateUi

