"""Which sources may prove that a person owns an email or phone: the trust rule, on plain values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontoffice.domain.tenancy import Channel, Source, Status, Trust, default_trust, parse_trust
from frontoffice.dsr.config import DsrConfig
from frontoffice.dsr.contacts import refusal
from frontoffice.errors import InvalidInput

TRUSTED = DsrConfig().verification_channels


def source(name: str, channel: Channel, trust: Trust | None = None) -> Source:
    return Source(f"src-{name}", "ws", name, channel, "fo_wk_…", Status.ACTIVE,
                  datetime(2026, 1, 1, tzinfo=UTC), trust or default_trust(channel))


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.APP, Channel.CHAT, Channel.SOCIAL])
def test_keys_that_ship_to_browsers_or_devices_are_client_side_by_default(channel: Channel) -> None:
    assert default_trust(channel) is Trust.CLIENT


@pytest.mark.parametrize("channel", [Channel.POS, Channel.COMMERCE, Channel.IMPORT, Channel.CALL_CENTRE,
                                     Channel.MARKETPLACE, Channel.EMAIL])
def test_keys_kept_on_servers_are_server_side_by_default(channel: Channel) -> None:
    assert default_trust(channel) is Trust.SERVER


def test_a_source_may_be_created_with_another_trust_than_its_channels() -> None:
    assert parse_trust("server", Channel.WEB) is Trust.SERVER  # a server-side library on the shop's backend
    assert parse_trust("client", Channel.POS) is Trust.CLIENT
    assert parse_trust(None, Channel.APP) is Trust.CLIENT
    with pytest.raises(InvalidInput, match=r"'client'.*'server'"):
        parse_trust("trusted", Channel.WEB)


def test_a_client_side_claim_never_proves_a_contact_whatever_the_channel_list() -> None:
    why = refusal(source("web", Channel.WEB), TRUSTED)
    assert "web" in TRUSTED
    assert why is not None and "client-side source 'web'" in why and "public" in why


def test_a_server_side_source_of_a_trusted_channel_proves_a_contact() -> None:
    assert refusal(source("accounts", Channel.WEB, Trust.SERVER), TRUSTED) is None
    assert refusal(source("till", Channel.POS), TRUSTED) is None


def test_a_server_side_source_outside_the_channel_list_does_not_prove_it() -> None:
    why = refusal(source("mkt", Channel.MARKETPLACE), TRUSTED)
    assert why is not None and "dsr_verification_channels" in why


def test_a_claim_of_a_source_no_longer_registered_does_not_prove_it() -> None:
    assert refusal(None, TRUSTED) == "from a source no longer registered"
