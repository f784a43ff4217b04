"""Comments on proposals, open while the process is in its consultation phase."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from participation.concepts.models import Proposal, ProposalComment
from participation.errors import Conflict
from participation.i18n import CONTENT_LANGUAGES
from participation.i18n import gettext as _
from participation.ideas.services import IdeaService, Viewer


class ProposalCommentService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def comments_of(self, proposal: Proposal) -> list[ProposalComment]:
        """The proposal's comments, oldest first, with their authors (one query)."""
        result = await self.session.execute(
            select(ProposalComment)
            .where(ProposalComment.proposal_id == proposal.id)
            .options(joinedload(ProposalComment.author))
            .order_by(ProposalComment.created_at, ProposalComment.id)
        )
        return list(result.scalars())

    async def comment(
        self, viewer: Viewer, proposal: Proposal, *, body: str, language: str, open_now: bool
    ) -> ProposalComment:
        """Comment on the proposal as the viewer; `open_now` says whether the process is in its
        consultation phase at this moment (server time)."""
        user = IdeaService(self.session).require_participant(viewer, proposal.concept.area)
        if not open_now:
            raise Conflict(_("Comments on the proposals are open only during the consultation."))
        if language not in CONTENT_LANGUAGES:
            raise Conflict(_("Please choose a language from the list."), field="language")
        comment = ProposalComment(
            proposal_id=proposal.id, author_id=user.id, body=body, language=language
        )
        self.session.add(comment)
        await self.session.flush()
        return comment
