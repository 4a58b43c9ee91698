"""How long one batch message may run: our own deadline between customers, Dramatiq's as a cap.

Dramatiq's time limit interrupts a thread wherever it is, in the middle of an HTTP write too,
which leaves a write that may or may not have been applied. So a batch keeps a deadline of
its own (``PLENTYSYNC_WORKER_BATCH_S``): once it has passed, the batch gives its remaining
customers back between two customers and is sent again at once, without spending an attempt.

Dramatiq's limit only catches a thread that hangs: it is the deadline plus the longest that
one more customer can take with the client's real timeouts, retries, re-login and budget
waits (and the batch's Magento read before it), so it never fires while the calls are still
within their own timeouts. It depends on neither the budget nor how many processes run.
"""

from __future__ import annotations

from core.db.models import Run
from core.export.connections import plenty_config
from core.magento import MagentoConfig
from core.plenty import PlentyConfig
from core.sources import source_settings
from worker.settings import get_worker_settings

# A customer costs at most this many PlentyONE calls (lookup, contact, account, addresses).
CALLS_PER_ENTITY = 6
HEADROOM = 60.0


def plenty_call_seconds(config: PlentyConfig) -> float:
    """The longest one PlentyONE call may take before the client gives up on it.

    Every send may wait for budget (up to ``max_wait``, else it raises at once) and then for
    each phase of the exchange; a call is sent at most ``attempts`` times for errors, plus
    once per tolerated 429 and once after a re-login, with backoff between error attempts.
    """
    timeouts, retry = config.timeouts, config.retry
    exchange = timeouts.pool + timeouts.connect + timeouts.write + timeouts.read
    sends = retry.attempts + retry.max_rate_limited + 1
    login = exchange
    return sends * (config.max_wait + exchange) + login + (retry.attempts - 1) * retry.max_delay


def magento_read_seconds(read_timeout: float) -> float:
    """The longest the batch's one Magento read may take, retries and ``Retry-After`` included."""
    attempts = MagentoConfig.max_attempts
    pause = max(MagentoConfig.backoff_max, MagentoConfig.max_retry_after)
    return attempts * (MagentoConfig.connect_timeout + read_timeout) + (attempts - 1) * pause


def batch_time_limit(run: Run) -> float:
    """Seconds Dramatiq lets a batch message of this run run before interrupting it."""
    profile = run.profile
    config = plenty_config(profile.client, with_password=False)
    magento = magento_read_seconds(source_settings(profile.source).timeout_s)
    one_customer = CALLS_PER_ENTITY * plenty_call_seconds(config)
    return get_worker_settings().batch_s + magento + one_customer + HEADROOM
