"""A Discord double on loopback for end-to-end tests: the real discord.py client, no network.

See tests/README.md for how to write a test with it.
"""

from .delivery import Delivery
from .double import DiscordDouble
from .faults import Faults, RateLimit
from .interactions import CallbackType, Choice, Choices, InteractionResult, ModalForm, NoResponse
from .members import Member
from .mentions import assert_no_pings
from .rest import Call
from .spec import SPEC_ENV_VAR, RequestSchemas, default_spec_path, load_request_schemas
from .state import Attachment, Channel, ChannelType, Guild, MentionPolicy, Message, Role, User
from .violations import Violation

__all__ = [
    "SPEC_ENV_VAR",
    "Attachment",
    "Call",
    "CallbackType",
    "Channel",
    "ChannelType",
    "Choice",
    "Choices",
    "Delivery",
    "DiscordDouble",
    "Faults",
    "Guild",
    "InteractionResult",
    "Member",
    "MentionPolicy",
    "Message",
    "ModalForm",
    "NoResponse",
    "RateLimit",
    "RequestSchemas",
    "Role",
    "User",
    "Violation",
    "assert_no_pings",
    "default_spec_path",
    "load_request_schemas",
]
