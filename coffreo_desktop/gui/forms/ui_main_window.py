# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
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
from PySide6.QtWidgets import (QApplication, QComboBox, QFrame, QHBoxLayout,
    QLabel, QListWidget, QListWidgetItem, QMainWindow,
    QSizePolicy, QSpacerItem, QSplitter, QStackedWidget,
    QStatusBar, QVBoxLayout, QWidget)

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1180, 760)
        MainWindow.setMinimumSize(QSize(760, 520))
        self.centralWidget = QWidget(MainWindow)
        self.centralWidget.setObjectName(u"centralWidget")
        self.centralLayout = QVBoxLayout(self.centralWidget)
        self.centralLayout.setSpacing(0)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(0, 0, 0, 0)
        self.topBar = QWidget(self.centralWidget)
        self.topBar.setObjectName(u"topBar")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.topBar.sizePolicy().hasHeightForWidth())
        self.topBar.setSizePolicy(sizePolicy)
        self.topBarLayout = QHBoxLayout(self.topBar)
        self.topBarLayout.setSpacing(10)
        self.topBarLayout.setObjectName(u"topBarLayout")
        self.topBarLayout.setContentsMargins(16, 8, 16, 8)
        self.logoLabel = QLabel(self.topBar)
        self.logoLabel.setObjectName(u"logoLabel")
        self.logoLabel.setMinimumSize(QSize(28, 28))
        self.logoLabel.setMaximumSize(QSize(28, 28))

        self.topBarLayout.addWidget(self.logoLabel)

        self.appTitleLabel = QLabel(self.topBar)
        self.appTitleLabel.setObjectName(u"appTitleLabel")
        self.appTitleLabel.setText(u"Coffreo")
        self.appTitleLabel.setProperty(u"role", u"heading")

        self.topBarLayout.addWidget(self.appTitleLabel)

        self.topBarSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.topBarLayout.addItem(self.topBarSpacer)

        self.agencyLabel = QLabel(self.topBar)
        self.agencyLabel.setObjectName(u"agencyLabel")
        self.agencyLabel.setProperty(u"role", u"muted")

        self.topBarLayout.addWidget(self.agencyLabel)

        self.agencyCombo = QComboBox(self.topBar)
        self.agencyCombo.setObjectName(u"agencyCombo")
        self.agencyCombo.setMinimumSize(QSize(300, 0))
        self.agencyCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.topBarLayout.addWidget(self.agencyCombo)


        self.centralLayout.addWidget(self.topBar)

        self.splitter = QSplitter(self.centralWidget)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.navigation = QListWidget(self.splitter)
        self.navigation.setObjectName(u"navigation")
        self.navigation.setMinimumSize(QSize(236, 0))
        self.navigation.setMaximumSize(QSize(360, 16777215))
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setFrameShape(QFrame.Shape.NoFrame)
        self.splitter.addWidget(self.navigation)
        self.pages = QStackedWidget(self.splitter)
        self.pages.setObjectName(u"pages")
        self.splitter.addWidget(self.pages)

        self.centralLayout.addWidget(self.splitter)

        self.centralLayout.setStretch(1, 1)
        MainWindow.setCentralWidget(self.centralWidget)
        self.statusBar = QStatusBar(MainWindow)
        self.statusBar.setObjectName(u"statusBar")
        self.statusBar.setSizeGripEnabled(False)
        MainWindow.setStatusBar(self.statusBar)
#if QT_CONFIG(shortcut)
        self.agencyLabel.setBuddy(self.agencyCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(MainWindow)

        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"Coffreo Desktop", None))
        self.agencyLabel.setText(QCoreApplication.translate("MainWindow", u"Agence", None))
    # retranslateUi

