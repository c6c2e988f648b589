"""/tos_registry: organisers see the TOS registry of their regions (admins: all) and export it."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Text
from bot.middlewares.gate import RoleGate
from bot.services import event_admin, exports
from bot.services.regions import catalog
from bot.services.roles import Role
from bot.ui.callbacks.tos import ExportFormat, RegistryCb
from bot.ui.context import Ctx
from bot.ui.keyboards import button
from db.models import Tos
from db.repositories import Repo


async def _scope(repo: Repo, user_id: int) -> set[str] | None:
    """The regions a person may see, from the database: None means all (an admin). The same
    regions as their events and broadcasts (an organiser not given any works in their own),
    so the dashboard's registry counts are these."""
    return await event_admin.managed_regions(repo, user_id)


async def registry_shown(message: Message, ctx: Ctx) -> None:
    """/tos_registry: counts for the person's regions and the export buttons."""
    assert message.from_user is not None
    entries = await ctx.repo.tos_registry.in_regions(await _scope(ctx.repo, message.from_user.id))
    verified = sum(e.status == "verified" for e in entries)
    formats = [button(fmt.value.upper(), RegistryCb(fmt=fmt)) for fmt in ExportFormat]
    await ctx.send(
        ctx.t("tos-registry", total=len(entries), verified=verified),
        InlineKeyboardMarkup(inline_keyboard=[formats]) if entries else None,
    )


def _rows(entries: list[Tos], t: Text) -> list[list[str | int | None]]:
    rows: list[list[str | int | None]] = []
    for tos in entries:
        region = catalog().get(tos.region_code)
        rows.append(
            [
                tos.name,
                region.name(t.locale) if region else tos.region_code,
                tos.municipality,
                t(f"tos-territory-{tos.territory_type}"),
                tos.boundaries,
                f"{tos.charter_registered_on:%d.%m.%Y}",
                tos.charter_number,
                tos.ogrn,
                t("tos-verified" if tos.status == "verified" else "tos-unverified")
                if tos.status != "rejected"
                else t("tos-registry-rejected"),
            ]
        )
    return rows


async def exported(cq: CallbackQuery, callback_data: RegistryCb, ctx: Ctx) -> None:
    """CSV or XLSX of the registry the person may see (checked again now)."""
    t = ctx.t
    entries = await ctx.repo.tos_registry.in_regions(await _scope(ctx.repo, cq.from_user.id))
    header = t("tos-registry-columns").split("|")
    rows = _rows(entries, t)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    if callback_data.fmt is ExportFormat.CSV:
        content, name = exports.to_csv(header, rows), f"tos_registry_{stamp}.csv"
    else:
        content, name = exports.to_xlsx("TOS", header, rows), f"tos_registry_{stamp}.xlsx"
    if isinstance(cq.message, Message):
        await cq.message.answer_document(
            BufferedInputFile(content, filename=name),
            caption=t("tos-registry-caption", total=len(entries)),
        )


def router() -> Router:
    r = Router(name=__name__)
    gate = RoleGate(Role.ORGANISER, Role.ADMIN)
    r.message.middleware(gate)
    r.callback_query.middleware(gate)
    r.message.register(registry_shown, Command("tos_registry"))
    r.callback_query.register(exported, RegistryCb.filter(F.fmt.in_(set(ExportFormat))))
    return r
