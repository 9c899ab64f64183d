"""Applications told in plain words: "Applied to Stripe for a PM role yesterday" outside
any flow is understood, matched to the user's applications, and confirmed with one tap on
a card (handlers/application_card.py). Anything else gets the usual help answer."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.application_card import Card, date_concern
from bot.application_parser import MAX_INPUT, ParsedApplication, parse_application
from bot.context import Context
from handlers.application_card import (
    ASK_COMPANY,
    ASK_DAY,
    ASK_ROLE,
    CARD_FLOW,
    advance,
    back_to_card,
    cancel_card,
    card_button,
    company_answer,
    company_skip,
    day_answer,
    day_skip,
    resolve_target,
    role_answer,
    role_skip,
)
from handlers.application_card_view import PREFIX
from handlers.application_views import user_clock
from handlers.common import END, flow_fallbacks
from handlers.help import unknown_text

LOW_CONFIDENCE = 0.7  # below this, the company found is a guess to confirm (e.g. from a link)


def card_from(parsed: ParsedApplication) -> Card:
    """What the parser understood, as a card (an unsure company only as a guess)."""
    sure = parsed.confidence >= LOW_CONFIDENCE
    return Card(
        company=parsed.company if sure else None,
        guess=None if sure else parsed.company,
        role=parsed.role,
        status=parsed.status,
        day=parsed.event_date,
        at=parsed.event_time,
        url=parsed.url,
        note=parsed.note,
        round=parsed.round,
        final_round=bool(parsed.final_round),
        concern=parsed.date_concern,
    )


async def capture(update: Update, context: Context) -> int:
    """A plain message outside any flow: an application update gets a card, the rest help."""
    message = update.effective_message
    assert message is not None and message.text is not None
    text = message.text.strip()
    clock = await user_clock(update, context)
    parsed = parse_application(text, now=clock.local) if len(text) <= MAX_INPUT else None
    if parsed is None:
        await unknown_text(update, context)
        return END
    card = card_from(parsed)
    card.settle_defaults(clock.today)
    card.concern = card.concern or date_concern(card.status, card.day, clock.today)
    await resolve_target(context, clock.user_id, card)
    return await advance(update, context, card, edit=False, clock=clock)


def build_application_capture() -> ConversationHandler[Context]:
    """Plain messages about applications, and the card's buttons and questions. Registered
    last before the catch-all answers: any flow waiting for text goes first."""
    text = filters.TEXT & ~filters.COMMAND
    buttons: BaseHandler[Update, Context, object] = CallbackQueryHandler(
        card_button, pattern=rf"^{PREFIX}:"
    )
    back: BaseHandler[Update, Context, object] = CommandHandler("back", back_to_card)
    return ConversationHandler(
        entry_points=[MessageHandler(text, capture), buttons],
        states={
            ASK_COMPANY: [
                MessageHandler(text, company_answer),
                buttons,
                CommandHandler("skip", company_skip),
                back,
            ],
            ASK_ROLE: [
                MessageHandler(text, role_answer),
                buttons,
                CommandHandler("skip", role_skip),
                back,
            ],
            ASK_DAY: [
                MessageHandler(text, day_answer),
                buttons,
                CommandHandler("skip", day_skip),
                back,
            ],
        },
        fallbacks=[CommandHandler("cancel", cancel_card), *flow_fallbacks(CARD_FLOW)[1:]],
        name=CARD_FLOW,
        persistent=True,
        # A plain message while a question is open answers it; it does not start again.
        allow_reentry=False,
    )
