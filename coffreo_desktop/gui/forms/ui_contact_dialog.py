# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'contact_dialog.ui'
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
from PySide6.QtWidgets import (QApplication, QDialog, QFormLayout, QFrame,
    QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_ContactDialog(object):
    def setupUi(self, ContactDialog):
        if not ContactDialog.objectName():
            ContactDialog.setObjectName(u"ContactDialog")
        ContactDialog.resize(560, 600)
        ContactDialog.setMinimumSize(QSize(520, 0))
        self.mainLayout = QVBoxLayout(ContactDialog)
        self.mainLayout.setSpacing(12)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(28, 24, 28, 20)
        self.titleLabel = QLabel(ContactDialog)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.titleLabel)

        self.introLabel = QLabel(ContactDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)
        self.introLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.introLabel)

        self.infoCard = QFrame(ContactDialog)
        self.infoCard.setObjectName(u"infoCard")
        self.infoCard.setProperty(u"role", u"card")
        self.infoLayout = QFormLayout(self.infoCard)
        self.infoLayout.setObjectName(u"infoLayout")
        self.infoLayout.setHorizontalSpacing(16)
        self.infoLayout.setVerticalSpacing(6)
        self.infoLayout.setContentsMargins(16, 12, 16, 12)
        self.supportEmailLabel = QLabel(self.infoCard)
        self.supportEmailLabel.setObjectName(u"supportEmailLabel")
        self.supportEmailLabel.setProperty(u"role", u"muted")

        self.infoLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.supportEmailLabel)

        self.supportEmailValue = QLabel(self.infoCard)
        self.supportEmailValue.setObjectName(u"supportEmailValue")
        self.supportEmailValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.supportEmailValue.setOpenExternalLinks(True)

        self.infoLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.supportEmailValue)

        self.supportPhoneLabel = QLabel(self.infoCard)
        self.supportPhoneLabel.setObjectName(u"supportPhoneLabel")
        self.supportPhoneLabel.setProperty(u"role", u"muted")

        self.infoLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.supportPhoneLabel)

        self.supportPhoneValue = QLabel(self.infoCard)
        self.supportPhoneValue.setObjectName(u"supportPhoneValue")
        self.supportPhoneValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.infoLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.supportPhoneValue)

        self.supportHoursLabel = QLabel(self.infoCard)
        self.supportHoursLabel.setObjectName(u"supportHoursLabel")
        self.supportHoursLabel.setProperty(u"role", u"muted")

        self.infoLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.supportHoursLabel)

        self.supportHoursValue = QLabel(self.infoCard)
        self.supportHoursValue.setObjectName(u"supportHoursValue")
        self.supportHoursValue.setWordWrap(True)

        self.infoLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.supportHoursValue)

        self.supportUrlLabel = QLabel(self.infoCard)
        self.supportUrlLabel.setObjectName(u"supportUrlLabel")
        self.supportUrlLabel.setProperty(u"role", u"muted")

        self.infoLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.supportUrlLabel)

        self.supportUrlValue = QLabel(self.infoCard)
        self.supportUrlValue.setObjectName(u"supportUrlValue")
        self.supportUrlValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.supportUrlValue.setOpenExternalLinks(True)

        self.infoLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.supportUrlValue)


        self.mainLayout.addWidget(self.infoCard)

        self.formTitleLabel = QLabel(ContactDialog)
        self.formTitleLabel.setObjectName(u"formTitleLabel")
        self.formTitleLabel.setProperty(u"role", u"heading")

        self.mainLayout.addWidget(self.formTitleLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setHorizontalSpacing(12)
        self.formLayout.setVerticalSpacing(8)
        self.senderLabel = QLabel(ContactDialog)
        self.senderLabel.setObjectName(u"senderLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.senderLabel)

        self.senderEdit = QLineEdit(ContactDialog)
        self.senderEdit.setObjectName(u"senderEdit")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.senderEdit)

        self.subjectLabel = QLabel(ContactDialog)
        self.subjectLabel.setObjectName(u"subjectLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.subjectLabel)

        self.subjectEdit = QLineEdit(ContactDialog)
        self.subjectEdit.setObjectName(u"subjectEdit")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.subjectEdit)

        self.messageLabel = QLabel(ContactDialog)
        self.messageLabel.setObjectName(u"messageLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.messageLabel)

        self.messageEdit = QPlainTextEdit(ContactDialog)
        self.messageEdit.setObjectName(u"messageEdit")
        self.messageEdit.setMinimumSize(QSize(0, 140))
        self.messageEdit.setTabChangesFocus(True)

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.messageEdit)


        self.mainLayout.addLayout(self.formLayout)

        self.statusLabel = QLabel(ContactDialog)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.statusLabel)

        self.buttonLayout = QHBoxLayout()
        self.buttonLayout.setObjectName(u"buttonLayout")
        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonLayout.addItem(self.buttonSpacer)

        self.closeButton = QPushButton(ContactDialog)
        self.closeButton.setObjectName(u"closeButton")
        self.closeButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.closeButton)

        self.sendButton = QPushButton(ContactDialog)
        self.sendButton.setObjectName(u"sendButton")
        self.sendButton.setProperty(u"role", u"primary")

        self.buttonLayout.addWidget(self.sendButton)


        self.mainLayout.addLayout(self.buttonLayout)

#if QT_CONFIG(shortcut)
        self.senderLabel.setBuddy(self.senderEdit)
        self.subjectLabel.setBuddy(self.subjectEdit)
        self.messageLabel.setBuddy(self.messageEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.senderEdit, self.subjectEdit)
        QWidget.setTabOrder(self.subjectEdit, self.messageEdit)
        QWidget.setTabOrder(self.messageEdit, self.sendButton)
        QWidget.setTabOrder(self.sendButton, self.closeButton)

        self.retranslateUi(ContactDialog)

        self.sendButton.setDefault(True)


        QMetaObject.connectSlotsByName(ContactDialog)
    # setupUi

    def retranslateUi(self, ContactDialog):
        ContactDialog.setWindowTitle(QCoreApplication.translate("ContactDialog", u"Contactez-nous", None))
        self.titleLabel.setText(QCoreApplication.translate("ContactDialog", u"Contactez-nous", None))
        self.introLabel.setText(QCoreApplication.translate("ContactDialog", u"Une question, un probl\u00e8me ? L'\u00e9quipe support de Coffreo vous r\u00e9pond.", None))
        self.supportEmailLabel.setText(QCoreApplication.translate("ContactDialog", u"E-mail", None))
        self.supportEmailValue.setText(QCoreApplication.translate("ContactDialog", u"Chargement\u2026", None))
        self.supportPhoneLabel.setText(QCoreApplication.translate("ContactDialog", u"T\u00e9l\u00e9phone", None))
        self.supportHoursLabel.setText(QCoreApplication.translate("ContactDialog", u"Horaires", None))
        self.supportUrlLabel.setText(QCoreApplication.translate("ContactDialog", u"Aide en ligne", None))
        self.formTitleLabel.setText(QCoreApplication.translate("ContactDialog", u"\u00c9crire au support", None))
        self.senderLabel.setText(QCoreApplication.translate("ContactDialog", u"Votre adresse e-mail", None))
        self.senderEdit.setPlaceholderText(QCoreApplication.translate("ContactDialog", u"prenom.nom@exemple.fr", None))
        self.subjectLabel.setText(QCoreApplication.translate("ContactDialog", u"Objet", None))
        self.messageLabel.setText(QCoreApplication.translate("ContactDialog", u"Message", None))
        self.messageEdit.setPlaceholderText(QCoreApplication.translate("ContactDialog", u"D\u00e9crivez votre demande ; n'indiquez jamais de num\u00e9ro de s\u00e9curit\u00e9 sociale.", None))
        self.closeButton.setText(QCoreApplication.translate("ContactDialog", u"Fermer", None))
        self.sendButton.setText(QCoreApplication.translate("ContactDialog", u"Envoyer", None))
    # retranslateUi

