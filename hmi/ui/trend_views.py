"""Saved trend views on the trend screen: the views box and menu, and their database work on the screen's
worker. The screen supplies its definition (what to save) and applies a definition (what to open)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from hmi.services.trends import TrendDefinition, TrendView, TrendViews
from hmi.ui.i18n import TrMap
from hmi.ui.trend_toolbar import TrendToolbar
from hmi.ui.trend_worker import JobResult, TrendWorker

# The worker's job keys of saved views, and what each is called in a failure ("Saving the view failed: ...").
KEYS = TrMap("SavedViewsController", {
    "views": QT_TRANSLATE_NOOP("SavedViewsController", "Saved views"),
    "view_saved": QT_TRANSLATE_NOOP("SavedViewsController", "Saving the view"),
    "view_deleted": QT_TRANSLATE_NOOP("SavedViewsController", "Deleting the view"),
})


class SaveViewDialog(QDialog):
    """"Name of the view": non-modal with a fixed size (QInputDialog resizes itself once shown, and
    a modal one would block the stop column). `nameChosen(name)` on OK with a non-blank name."""

    nameChosen = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveViewDialog")
        self.setWindowTitle(self.tr("Save trend view"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setFixedSize(460, 150)
        self.name = QLineEdit(name, self)
        self.name.setMaxLength(120)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Name of the view:"), self))
        layout.addWidget(self.name)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.selectAll()
        self.name.setFocus()

    def accept(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.name.setFocus()
            return
        self.nameChosen.emit(name)
        super().accept()


class SavedViewsController(QObject):
    viewsListed = Signal(list)  # list[TrendView] now in the views box
    viewSaved = Signal(object)  # TrendView
    openRequested = Signal(object)  # TrendView the user picked
    message = Signal(str, bool)  # text, is an error

    def __init__(
        self,
        toolbar: TrendToolbar,
        worker: TrendWorker,
        service: TrendViews | None,
        user: str,
        definition: Callable[[], TrendDefinition],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._bar = toolbar
        self._worker = worker
        self._service = service
        self._user = user
        self._definition = definition
        self._parent = parent
        self._views: list[TrendView] = []
        self.current: TrendView | None = None
        self.save_dialog: SaveViewDialog | None = None
        toolbar.views_box.activated.connect(self._on_view_chosen)
        toolbar.save_action.triggered.connect(self._on_save_current)
        toolbar.save_as_action.triggered.connect(self._on_save_as)
        toolbar.share_action.triggered.connect(self._on_share_toggled)
        toolbar.delete_action.triggered.connect(self._on_delete_view)

    @property
    def user(self) -> str:
        return self._user

    def set_user(self, user: str) -> None:
        self._user = user
        self.current = None
        self.refresh()

    def views(self) -> list[TrendView]:
        return list(self._views)

    def refresh(self) -> None:
        service, user = self._service, self._user
        enabled = service is not None and bool(user)
        self._bar.views_box.setEnabled(enabled)
        self._bar.views_button.setEnabled(enabled)
        if service is None or not user:
            self._fill([])
            return
        self._worker.submit("views", lambda _token, s=service, u=user: s.list(u))

    def opened(self, view: TrendView) -> None:
        """The screen now shows `view`."""
        self.current = view
        self._update_actions()

    def save(self, name: str, *, shared: bool = False) -> None:
        service, user = self._service, self._user
        if service is None or not user:
            self.message.emit(self.tr("Sign in to save trend views"), True)
            return
        d = self._definition()
        self._worker.submit("view_saved", lambda _token, s=service: s.save(user, name, d, shared=shared))

    def handle(self, result: JobResult) -> bool:
        """Take the worker's result if it is about saved views (the screen reports failures)."""
        if result.key not in KEYS or not result.ok:
            return False
        if result.key == "views":
            self._fill(result.value)
        elif result.key == "view_saved":
            view = result.value
            self.current = view
            text = (self.tr("View \u201c{name}\u201d saved and shared") if view.shared
                    else self.tr("View \u201c{name}\u201d saved"))
            self.message.emit(text.format(name=view.name), False)
            self.viewSaved.emit(view)
            self.refresh()
        else:
            self.current = None
            self.refresh()
        return True

    def _fill(self, views: list[TrendView]) -> None:
        self._views = list(views)
        box = self._bar.views_box
        box.blockSignals(True)
        box.clear()
        current = -1
        for i, v in enumerate(views):
            box.addItem(v.name if v.owner == self._user else f"{v.name} \u2014 {v.owner}", v.id)
            if self.current is not None and v.id == self.current.id:
                current = i
        box.setCurrentIndex(current)
        box.blockSignals(False)
        self._update_actions()
        self.viewsListed.emit(list(views))

    def _update_actions(self) -> None:
        own = self.current is not None and self.current.editable_by(self._user)
        for action in (self._bar.save_action, self._bar.share_action, self._bar.delete_action):
            action.setEnabled(own)
        self._bar.share_action.setChecked(bool(self.current and self.current.shared))

    @Slot(int)
    def _on_view_chosen(self, index: int) -> None:
        if 0 <= index < len(self._views):
            self.openRequested.emit(self._views[index])

    @Slot()
    def _on_save_current(self) -> None:
        v = self.current
        if v is not None and v.editable_by(self._user):
            self.save(v.name, shared=v.shared)

    @Slot()
    def _on_save_as(self) -> None:
        dialog = SaveViewDialog(self.current.name if self.current else "", self._parent)
        dialog.nameChosen.connect(self._on_save_as_name)
        self.save_dialog = dialog
        dialog.show()

    @Slot(str)
    def _on_save_as_name(self, name: str) -> None:
        if name.strip():
            self.save(name.strip(), shared=False)

    @Slot(bool)
    def _on_share_toggled(self, shared: bool) -> None:
        v, service, user = self.current, self._service, self._user
        if v is None or service is None or not v.editable_by(user):
            return
        self._worker.submit("view_saved", lambda _token, s=service, i=v.id: s.set_shared(user, i, shared))

    @Slot()
    def _on_delete_view(self) -> None:
        v, service, user = self.current, self._service, self._user
        if v is None or service is None or not v.editable_by(user):
            return
        self._worker.submit("view_deleted", lambda _token, s=service, i=v.id: s.delete(user, i))
