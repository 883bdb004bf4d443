# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'login_dialog.ui'
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
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDialog,
    QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_LoginDialog(object):
    def setupUi(self, LoginDialog):
        if not LoginDialog.objectName():
            LoginDialog.setObjectName(u"LoginDialog")
        LoginDialog.resize(460, 520)
        LoginDialog.setMinimumSize(QSize(440, 0))
        self.mainLayout = QVBoxLayout(LoginDialog)
        self.mainLayout.setSpacing(8)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(32, 26, 32, 20)
        self.headerLayout = QHBoxLayout()
        self.headerLayout.setSpacing(14)
        self.headerLayout.setObjectName(u"headerLayout")
        self.logoLabel = QLabel(LoginDialog)
        self.logoLabel.setObjectName(u"logoLabel")
        self.logoLabel.setMinimumSize(QSize(48, 48))
        self.logoLabel.setMaximumSize(QSize(48, 48))

        self.headerLayout.addWidget(self.logoLabel)

        self.titleLayout = QVBoxLayout()
        self.titleLayout.setSpacing(2)
        self.titleLayout.setObjectName(u"titleLayout")
        self.titleLabel = QLabel(LoginDialog)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setProperty(u"role", u"title")

        self.titleLayout.addWidget(self.titleLabel)

        self.serverLabel = QLabel(LoginDialog)
        self.serverLabel.setObjectName(u"serverLabel")
        self.serverLabel.setWordWrap(True)
        self.serverLabel.setProperty(u"role", u"muted")

        self.titleLayout.addWidget(self.serverLabel)


        self.headerLayout.addLayout(self.titleLayout)


        self.mainLayout.addLayout(self.headerLayout)

        self.headerSpacer = QSpacerItem(0, 8, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.mainLayout.addItem(self.headerSpacer)

        self.noticeLabel = QLabel(LoginDialog)
        self.noticeLabel.setObjectName(u"noticeLabel")
        self.noticeLabel.setWordWrap(True)
        self.noticeLabel.setProperty(u"role", u"notice")

        self.mainLayout.addWidget(self.noticeLabel)

        self.demoBox = QWidget(LoginDialog)
        self.demoBox.setObjectName(u"demoBox")
        self.demoLayout = QVBoxLayout(self.demoBox)
        self.demoLayout.setSpacing(4)
        self.demoLayout.setObjectName(u"demoLayout")
        self.demoLayout.setContentsMargins(0, 0, 0, 6)
        self.demoLabel = QLabel(self.demoBox)
        self.demoLabel.setObjectName(u"demoLabel")

        self.demoLayout.addWidget(self.demoLabel)

        self.demoCombo = QComboBox(self.demoBox)
        self.demoCombo.setObjectName(u"demoCombo")

        self.demoLayout.addWidget(self.demoCombo)


        self.mainLayout.addWidget(self.demoBox)

        self.emailLabel = QLabel(LoginDialog)
        self.emailLabel.setObjectName(u"emailLabel")

        self.mainLayout.addWidget(self.emailLabel)

        self.emailEdit = QLineEdit(LoginDialog)
        self.emailEdit.setObjectName(u"emailEdit")

        self.mainLayout.addWidget(self.emailEdit)

        self.fieldSpacer = QSpacerItem(0, 4, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.mainLayout.addItem(self.fieldSpacer)

        self.passwordLabel = QLabel(LoginDialog)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.mainLayout.addWidget(self.passwordLabel)

        self.passwordEdit = QLineEdit(LoginDialog)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.mainLayout.addWidget(self.passwordEdit)

        self.rememberCheck = QCheckBox(LoginDialog)
        self.rememberCheck.setObjectName(u"rememberCheck")

        self.mainLayout.addWidget(self.rememberCheck)

        self.errorLabel = QLabel(LoginDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setProperty(u"role", u"error")

        self.mainLayout.addWidget(self.errorLabel)

        self.loginButton = QPushButton(LoginDialog)
        self.loginButton.setObjectName(u"loginButton")
        self.loginButton.setMinimumSize(QSize(0, 34))
        self.loginButton.setProperty(u"role", u"primary")

        self.mainLayout.addWidget(self.loginButton)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.bottomSpacer)

        self.linksLayout = QHBoxLayout()
        self.linksLayout.setObjectName(u"linksLayout")
        self.changeConnectionButton = QPushButton(LoginDialog)
        self.changeConnectionButton.setObjectName(u"changeConnectionButton")
        self.changeConnectionButton.setAutoDefault(False)
        self.changeConnectionButton.setFlat(True)
        self.changeConnectionButton.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.changeConnectionButton.setProperty(u"role", u"link")

        self.linksLayout.addWidget(self.changeConnectionButton)

        self.linksSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.linksLayout.addItem(self.linksSpacer)

        self.contactButton = QPushButton(LoginDialog)
        self.contactButton.setObjectName(u"contactButton")
        self.contactButton.setAutoDefault(False)
        self.contactButton.setFlat(True)
        self.contactButton.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.contactButton.setProperty(u"role", u"link")

        self.linksLayout.addWidget(self.contactButton)


        self.mainLayout.addLayout(self.linksLayout)

#if QT_CONFIG(shortcut)
        self.demoLabel.setBuddy(self.demoCombo)
        self.emailLabel.setBuddy(self.emailEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.demoCombo, self.emailEdit)
        QWidget.setTabOrder(self.emailEdit, self.passwordEdit)
        QWidget.setTabOrder(self.passwordEdit, self.rememberCheck)
        QWidget.setTabOrder(self.rememberCheck, self.loginButton)
        QWidget.setTabOrder(self.loginButton, self.changeConnectionButton)
        QWidget.setTabOrder(self.changeConnectionButton, self.contactButton)

        self.retranslateUi(LoginDialog)

        self.loginButton.setDefault(True)


        QMetaObject.connectSlotsByName(LoginDialog)
    # setupUi

    def retranslateUi(self, LoginDialog):
        LoginDialog.setWindowTitle(QCoreApplication.translate("LoginDialog", u"Coffreo Desktop \u2014 Connexion", None))
        self.titleLabel.setText(QCoreApplication.translate("LoginDialog", u"Connexion", None))
        self.noticeLabel.setText(QCoreApplication.translate("LoginDialog", u"Aucun trousseau s\u00e9curis\u00e9 n'est disponible : la session sera gard\u00e9e en m\u00e9moire seulement.", None))
        self.demoLabel.setText(QCoreApplication.translate("LoginDialog", u"Comptes de d\u00e9monstration", None))
        self.emailLabel.setText(QCoreApplication.translate("LoginDialog", u"Adresse e-mail", None))
        self.emailEdit.setPlaceholderText(QCoreApplication.translate("LoginDialog", u"prenom.nom@exemple.fr", None))
        self.passwordLabel.setText(QCoreApplication.translate("LoginDialog", u"Mot de passe", None))
        self.rememberCheck.setText(QCoreApplication.translate("LoginDialog", u"Rester connect\u00e9", None))
        self.loginButton.setText(QCoreApplication.translate("LoginDialog", u"Se connecter", None))
        self.changeConnectionButton.setText(QCoreApplication.translate("LoginDialog", u"Changer de connexion", None))
        self.contactButton.setText(QCoreApplication.translate("LoginDialog", u"Contactez-nous", None))
    # retranslateUi

