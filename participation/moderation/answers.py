"""Official answers: the QM office answers an idea and sets its status; its author and its
supporters are told by mail."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from participation.accounts.models import User
from participation.areas.services import manages, staff_role
from participation.errors import Conflict
from participation.i18n import CONTENT_LANGUAGES
from participation.i18n import gettext as _
from participation.ideas.models import Idea, IdeaStatus, ModerationState
from participation.ideas.services import followers
from participation.moderation.access import require_moderator
from participation.moderation.log import record
from participation.moderation.models import Action, OfficialAnswer
from participation.notifications.services import Mail, enqueue
from participation.templating import Renderer

ANSWER_STATUSES = [
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.ACCEPTED,
    IdeaStatus.REJECTED,
    IdeaStatus.IMPLEMENTED,
]
"""The statuses an answer can set; an idea is NEW until it is answered."""

ANSWER_MAX = 5000

LinkBuilder = Callable[..., str]
"""link(route_name, locale=..., **path_params) -> absolute URL."""


class AnswerService:
    """Reading answers needs only the session; answering also needs the renderer and the link
    builder, to write the mails."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        renderer: Renderer | None = None,
        link: LinkBuilder | None = None,
    ) -> None:
        self.session = session
        self.renderer = renderer
        self.link = link

    async def require_answerer(self, actor: User | None, idea: Idea) -> User:
        """Return the actor if they may answer the idea (its area's managers, the district
        office) and the idea is published; raise SignInRequired, Forbidden or Conflict."""
        user = await require_moderator(self.session, actor, idea.area)
        if idea.moderation_state is not ModerationState.VISIBLE:
            # Nobody would see the answer, but its mails would tell about a hidden idea.
            raise Conflict(_("Only a published idea can be answered."))
        return user

    async def answers_of(self, idea: Idea) -> tuple[list[OfficialAnswer], dict[int, str]]:
        """The idea's answers, oldest first, with their authors, and the staff roles of those
        authors (one query; none for an idea that still has the status NEW, as every answer
        sets another)."""
        if idea.status is IdeaStatus.NEW:
            return [], {}
        result = await self.session.execute(
            select(OfficialAnswer, manages(OfficialAnswer.author_id, idea.area_id))
            .where(OfficialAnswer.idea_id == idea.id)
            .options(joinedload(OfficialAnswer.author))
            .order_by(OfficialAnswer.created_at, OfficialAnswer.id)
        )
        answers: list[OfficialAnswer] = []
        staff: dict[int, str] = {}
        for answer, author_manages in result.all():
            answers.append(answer)
            role = staff_role(answer.author, bool(author_manages))
            if role is not None and answer.author_id is not None:
                staff[answer.author_id] = role
        return answers, staff

    async def answer(
        self, actor: User | None, idea: Idea, status: IdeaStatus, body: str, language: str
    ) -> OfficialAnswer:
        """Answer the idea as the QM office and set its status; log it and mail the idea's
        author and supporters (not the person answering). Every rule is checked before
        anything is written."""
        if self.renderer is None or self.link is None:
            raise RuntimeError("answering needs the renderer and the link builder for mails")
        user = await self.require_answerer(actor, idea)
        body = body.strip()
        if status not in ANSWER_STATUSES:
            raise Conflict(_("Please choose a status from the list."), field="status")
        if status is IdeaStatus.REJECTED and not body:
            raise Conflict(_("Please explain why the idea is not taken up."), field="body")
        if len(body) > ANSWER_MAX:
            raise Conflict(
                _("Please write at most %(max)d characters.", max=ANSWER_MAX), field="body"
            )
        if language not in CONTENT_LANGUAGES:
            raise Conflict(_("Please choose a language from the list."), field="language")
        answer = OfficialAnswer(
            idea_id=idea.id,
            author_id=user.id,
            status=status.value,
            body=body,
            language=language,
        )
        self.session.add(answer)
        idea.status = status
        await self.session.flush()
        await record(
            self.session,
            idea.area_id,
            user,
            Action.ANSWER,
            idea_id=idea.id,
            target_user_id=idea.author_id,
            label=idea.title,
            reason=body,
        )
        await self._mail(user, idea, answer, status)
        return answer

    async def _mail(
        self, actor: User, idea: Idea, answer: OfficialAnswer, status: IdeaStatus
    ) -> None:
        """One mail per author or supporter, each in their own language (one query); only to
        confirmed addresses."""
        assert self.renderer is not None and self.link is not None
        people = await followers(self.session, [idea.id], except_user_id=actor.id)
        recipients = people.get(idea.id, [])
        mails = []
        for person in recipients:
            locale = person.preferred_locale
            subject, text, html = self.renderer.mail(
                "official_answer",
                locale,
                recipient=person,
                is_author=person.id == idea.author_id,
                idea=idea,
                area=idea.area,
                answer=answer,
                status=status,
                link=self.link("ideas.detail", locale=locale, idea_id=idea.id) + "#answers",
            )
            mails.append(Mail(person.email, locale, subject, text, html))
        await enqueue(self.session, f"answer:{answer.id}", mails)
