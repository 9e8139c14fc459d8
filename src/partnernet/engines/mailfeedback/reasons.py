"""Why a delivery failed, in sisimai's reason vocabulary.

Three kinds of evidence, strongest first:

* what the remote server said (the diagnostic text), matched against phrase families that MTAs
  use for each cause — in English and Russian;
* the enhanced status code (RFC 3463 ``class.subject.detail``) when it is specific;
* the SMTP command that failed (a "no such user" after DATA is a content filter, not a missing
  mailbox; a rejection of MAIL FROM is about us, not the recipient).

The vocabulary is sisimai's so results compare with the best-known bounce classifier; the
mapping rules below are our own.
"""

from __future__ import annotations

import re

# Reasons meaning the address itself is dead (sisimai's "hard bounce").
HARD_REASONS = frozenset({"userunknown", "hostunknown", "hasmoved", "notaccept"})


# What a reason means for the contact base (the contacts app's rules key on these).
CATEGORY = {
    **dict.fromkeys(("userunknown", "hasmoved", "suspend"), "address"),
    **dict.fromkeys(("hostunknown", "notaccept"), "domain"),
    **dict.fromkeys(
        (
            "blocked",
            "badreputation",
            "requireptr",
            "authfailure",
            "policyviolation",
            "rejected",
            "spamdetected",
            "securityerror",
            "norelaying",
            "filtered",
            "failedstarttls",
        ),
        "sender",
    ),
    **dict.fromkeys(
        (
            "mesgtoobig",
            "exceedlimit",
            "virusdetected",
            "contenterror",
            "notcompliantrfc",
            "syntaxerror",
        ),
        "content",
    ),
    **dict.fromkeys(("delivered", "feedback", "vacation"), "none"),
}


def category(reason: str) -> str:
    """``address`` (the mailbox is gone: the person probably left), ``domain`` (the whole
    domain does not take mail: check the company), ``sender`` (our server or message is refused:
    ask the partner to whitelist us), ``content`` (this message was refused), ``temporary``
    (full mailbox, timeouts, server errors: try again later) or ``none``."""
    return CATEGORY.get(reason, "temporary")


def is_hard(reason: str, status: str | None) -> bool:
    if reason == "notaccept":
        return not (status or "").startswith("4")
    return reason in HARD_REASONS


def _rx(*phrases: str) -> re.Pattern[str]:
    # Matched against lower-cased text: no re.I (it makes every alternative slower).
    return re.compile("|".join(f"(?:{p})" for p in phrases))


# Ordered: the first family that matches wins. More specific causes come before the general
# words that also appear in their messages ("spamhaus" is a blocklist, not spam content).
PHRASES: list[tuple[str, re.Pattern[str]]] = [
    # Documented provider codes and notice types: more precise than any wording around them.
    # Google Groups answers a post it refuses (no such group, or the sender may not post) with
    # a localised notice whose only fixed part is the link to its help centre.
    ("rejected", _rx(r"groups\.google\.com/support", r"'send mail as'")),
    # Cox's published AUP codes: CXBL/CDRBL (sending IP blocked for spam-like behaviour),
    # IPBLnnnn (sending IP on a public DNSBL), CXSNDR (sender domain fails checks), CXMXRT
    # (too many messages). Spectrum/Charter's AUP#In-13xx are connection limits (Cloudmark).
    ("blocked", _rx(r"aup#(?:cxbl|cdrbl|ipbl\d+|cxcnct|cxrdbl)")),
    ("rejected", _rx(r"aup#cxsndr")),
    ("speeding", _rx(r"aup#cxmxrt")),
    ("toomanyconn", _rx(r"aup#in-13\d\d")),
    # "Not permitted to relay without authentication" asks for SMTP AUTH: a security setting
    # of the sending side, not an open-relay refusal.
    (
        "securityerror",
        _rx(
            r"relay\w* (?:\S+ ){0,4}without (?:smtp )?authentication",
            r"turn on smtp authentication",
        ),
    ),
    (
        "spamdetected",
        _rx(
            r"spam classification",
            r"classified as spam",
            r"rejected (?:due to|as) spam",
            r"blacklisted (?:url|link|domain in)",
            r"\buribl\b",
            r"\bube\b",
            r"message content rejected",
        ),
    ),
    (
        "notcompliantrfc",
        _rx(
            r"not rfc ?\d+ compliant",
            r"rfc ?(?:2822|5322|822) (?:compliant|violation)",
            r"multiple addresses in from",
            r"multiple (?:subject|from|date|to|message-id) headers",
        ),
    ),
    (
        "hostunknown",
        _rx(
            r"host unknown",
            r"host or domain name not found",
            r"dns lookup failure: host .* not found",
        ),
    ),
    (
        "notaccept",
        _rx(
            r"couldn'?t find a mail exchanger",
            r"no mx (?:found|record)",
            r"null mx",
            r"indicated no smtp service",
            r"not accepting (?:network )?messages",
            r"does(?:n'?t| not) receive (?:e-?mail|mail)",
        ),
    ),
    (
        "networkerror",
        _rx(
            r"name service error",
            r"dns error",
            r"host name lookup failure",
            r"no route to host",
            r"(?:unable|wasn'?t able) to establish",
            r"network error",
        ),
    ),
    ("userunknown", _rx(r"recipient address rejected: access denied")),
    (
        "filtered",
        _rx(
            r"message filtered",
            r"recipient preferences",
            r"rejected by (?:the )?recipient'?s? filter",
        ),
    ),
    (
        "rejected",
        _rx(
            r"domain of sender",
            r"sender (?:address )?(?:rejected|denied|refused|verify failed)",
            r"sender was rejected",
            r"sender verif",
            r"permission to post",
            r"not a member of",
            r"(?:from|sender) domain (?:is )?invalid",
            r"provide a valid from",
            r"отправитель (?:\S+ )?(?:отклонен|заблокирован|запрещен)",
        ),
    ),
    (
        "authfailure",
        _rx(
            r"\bspf\b",
            r"\bdkim\b",
            r"\bdmarc\b",
            r"sender policy framework",
            r"authentication fail(?:ed|ure) .*(?:spf|dkim)",
            r"does not (?:pass|designate)",
            r"not designated",
            r"dmarc policy",
            r"fails? to pass authentication",
            r"authentication (?:checks|information)",
            r"domain owner has published",
        ),
    ),
    (
        "requireptr",
        _rx(
            r"reverse (?:dns|lookup|hostname|address|mapping)",
            r"ip name lookup failed",
            r"mismatches client ip",
            r"\bptr\b",
            r"\brdns\b",
            r"cannot find your (?:reverse )?hostname",
            r"can(?:no|')?t resolve your",
            r"client host .* (?:has no|without) (?:valid )?(?:hostname|dns)",
            r"ip address .* (?:has no|doesn'?t have) (?:a )?(?:hostname|name)",
            r"unresolvable (?:address|ip)",
            r"not (?:have|has) a valid hostname",
            r"connections? from hosts? without (?:a )?(?:rdns|reverse)",
            r"obratnaya zona|обратн(?:ая|ой) (?:зон|dns)",
        ),
    ),
    (
        "badreputation",
        _rx(
            r"(?:poor|bad|low) (?:ip |sender |domain )?reputation",
            r"reputation (?:of|is too low)",
            r"sender reputation",
            r"ip reputation",
            r"user complaints",
            r"unexpected volume",
            r"temporarily deferred due to .* reputation",
        ),
    ),
    (
        "virusdetected",
        _rx(
            r"\bvirus",
            r"malware",
            r"infected",
            r"trojan",
            r"\bworm\b",
            r"вирус",
        ),
    ),
    (
        "norelaying",
        _rx(
            r"relay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed)|prohibited|rejected)",
            r"not (?:permitted|allowed|authorized) to relay",
            r"not configured to relay",
            r"insecure mail relay",
            r"unable to relay",
            r"we do not relay",
            r"relay not permitted",
            r"no relaying",
            r"open relay",
            r"relaying (?:mail )?to .* not",
            r"relay disabled",
            r"релей|ретрансляция (?:запрещена|не разрешена)",
        ),
    ),
    (
        "toomanyconn",
        _rx(
            r"too many (?:concurrent |simultaneous )?(?:connections|sessions|smtp sessions)",
            r"connection limit",
            r"too many connections from",
            r"maximum number of connections",
            r"concurrent connections",
            r"connection rate limit",
            r"frequency limit",
            r"too many recipients",
            r"слишком много (?:соединений|подключений)",
        ),
    ),
    (
        "speeding",
        _rx(
            r"rate limit",
            r"rate[- ]limited",
            r"sending (?:rate|too fast)",
            r"too fast",
            r"throttl",
            r"too many (?:messages|emails|recipients) (?:in|per|from)",
            r"at a rate that",
            r"receiving mail at a rate",
            r"exceeded .*(?:sending|message) rate",
            r"слишком часто|превышен лимит отправки",
        ),
    ),
    (
        "blocked",
        _rx(
            r"black ?list",
            r"block ?list",
            r"\bdnsbl\b",
            r"\brbl\b",
            r"spamhaus",
            r"spamcop",
            r"sorbs",
            r"barracuda ?(?:central|reputation)",
            r"(?<!not )listed (?:in|on|at|by)",
            r"(?:your|the|sending|client) (?:ip|host|server|network)(?: address)? (?:\S+ )?"
            r"(?:is|has been|was) (?:blocked|banned|blacklisted|listed|rejected|not allowed)",
            r"client host (?:\S+ )?(?:rejected|blocked)",
            r"access denied\b.*\b(?:ip|client|host)",
            r"\bip\b.*\b(?:blocked|banned|blacklisted)",
            r"(?:blocked|banned) (?:ip|host|by)",
            r"connection (?:refused|rejected) (?:by|from|due to)",
            r"refused to talk",
            r"not accepting (?:mail|messages|connections) from (?:your|this) (?:ip|server|host)",
            r"please use the smtp server of your isp",
            r"not accepting connections",
            r"invalid ip",
            r"my name was rejected",
            r"dynamic (?:ip|address|pool)",
            r"dial[- ]?up",
            r"residential",
            r"\bdul\b",
            r"hostname .* looks generic",
            r"banned sending ip",
            r"access denied\. ip",
            r"sender ip",
            r"your ip",
            r"\bas\d+\b.*blocked",
            r"not (?:in|on) (?:the )?(?:white|allow) ?list",
            r"whitelist",
            r"заблокирован (?:ip|сервер|хост)|ip[- ]адрес .* заблокирован|черн(?:ый|ом) спис",
            r"отклонено по (?:ip|адресу сервера)|сервер отправителя (?:не )?(?:в белом|заблок)",
            r"белом списке|белый список",
        ),
    ),
    (
        "spamdetected",
        _rx(
            r"\bspam\b",
            r"\bspamming\b",
            r"junk ?mail",
            r"\bunsolicited\b",
            r"bulk (?:e-?mail|mail)",
            r"looks like spam",
            r"content filter(?:ing)? .*spam",
            r"classified as spam",
            r"message (?:was )?(?:scored|identified) as",
            r"high (?:spam|probability)",
            r"suspicion of spam",
            r"suspected spam",
            r"spam (?:score|content|message)",
            r"спам",
            r"нежелательн(?:ая|ой) почт",
        ),
    ),
    (
        "hasmoved",
        _rx(
            r"has moved",
            r"user has changed",
            r"address has changed",
            r"moved (?:permanently )?to",
            r"no longer (?:valid|at|with|in use)[^.]*(?:please|use|forward|new)",
            r"сменил адрес|адрес изменен|новый адрес",
        ),
    ),
    (
        "mesgtoobig",
        _rx(
            r"message (?:is )?too (?:big|large|long)",
            r"message size (?:exceeds|limit|too)",
            r"size (?:of (?:the )?message )?exceeds",
            r"mail size limit",
            r"line limit",
            r"exceeds (?:the )?(?:maximum|max|size)"
            r" (?:message |allowed )?size",
            r"message (?:length|size) .*(?:exceed|limit)",
            r"maximum (?:message )?size",
            r"too big for",
            r"слишком больш(?:ое|ой) (?:сообщение|размер)",
            r"превышает (?:допустимый|максимальный) размер",
        ),
    ),
    (
        "exceedlimit",
        _rx(
            r"exceeds? (?:the )?(?:local|administrative|recipient'?s?) limit",
            r"message (?:length|size) exceeds administrative",
        ),
    ),
    (
        "mailboxfull",
        _rx(
            r"mail ?box (?:is )?(?:full|over|exceed)",
            r"(?:mail ?box|inbox|account|mail ?folder)"
            r"(?: \S+)? (?:is |has )?(?:full|exceeded|over ?quota)",
            r"over ?quota",
            r"quota (?:exceeded|exceed|full|violation|limit)",
            r"exceed(?:ed|s)? (?:\S+ ){0,3}quota",
            r"disk quota",
            r"storage (?:allocation|quota|limit|space)",
            r"(?:mailbox|account) size limit",
            r"not enough (?:storage|space)",
            r"is full\b",
            r"maildir over",
            r"out of storage",
            r"not enough disk space",
            r"out of space",
            r"user over limit",
            r"ящик (?:\S+ )?переполнен",
            r"переполнен",
            r"превышен(?:а|о)? (?:квот|размер|лимит)",
            r"недостаточно места",
            r"квота",
        ),
    ),
    (
        "systemfull",
        _rx(
            r"insufficient (?:system )?(?:storage|disk)",
            r"disk (?:is )?full",
            r"no space left",
            r"file ?system full",
            r"system (?:is )?full",
            r"mail system full",
            r"недостаточно места на (?:диске|сервере)",
        ),
    ),
    (
        "suspend",
        _rx(
            r"(?:account|mailbox|user|address)(?: \S+){0,6} (?:is |has been |was )?(?:disabled|"
            r"suspended|deactivated|inactive|locked|frozen|blocked|closed|expired|not active)",
            r"(?:disabled|suspended|inactive|deactivated|locked) (?:account|mailbox|user)",
            r"temporar(?:il)?y locked",
            r"extended inactivity",
            r"temporarily (?:disabled|unavailable|inactive)",
            r"mailbox (?:unavailable|not available) (?:temporarily|for now)",
            r"account (?:has been )?(?:terminated|cancel)",
            r"this account is not",
            r"user (?:is )?(?:terminated|on hold)",
            r"ящик (?:\S+ )?(?:заблокирован|отключен|не активен|деактивирован|заморожен)",
            r"(?:учетная запись|аккаунт) (?:\S+ )?(?:заблокирован|отключен|удален)",
        ),
    ),
    (
        "hostunknown",
        _rx(
            r"host (?:or domain name )?(?:not found|unknown)",
            r"host ?name (?:not found|unknown)",
            r"unknown (?:host|domain)",
            r"domain (?:not found|does not exist|doesn'?t exist|is not valid|unknown)",
            r"domain name not found",
            r"no such (?:domain|host)",
            r"name or service not known",
            r"\bnxdomain\b",
            r"unroutable (?:mail )?domain",
            r"unrouteable (?:mail )?domain",
            r"unrout(?:e)?able address",
            r"domain is not reachable",
            r"(?<![@\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,} does not exist",
            r"invalid (?:domain|host)",
            r"non-?existent (?:domain|host)",
            r"domain .* not exist",
            r"recipient (?:address )?(?:domain|host) (?:not found|unknown|rejected)",
            r"dns (?:type 'mx' )?lookup (?:failed|error).*not exist",
            r"hostname .* not found",
            r"домен (?:\S+ )?не (?:найден|существует)|несуществующий домен|неизвестный домен",
        ),
    ),
    (
        "notaccept",
        _rx(
            r"does not accept (?:any )?(?:e-?mail|mail|messages)",
            r"null mx",
            r"no mx",
            r"not accept(?:ing)? (?:any )?mail",
            r"domain does not receive",
            r"mail (?:is )?not accepted (?:for|by) (?:this|the) domain",
        ),
    ),
    (
        "userunknown",
        _rx(
            r"user(?:name)? (?:unknown|not found|does ?n[o']t exist|doesn'?t exist|not exist)",
            r"unknown (?:user|recipient|local[- ]part|mailbox|address|account|e-?mail)",
            r"no such (?:user|mailbox|recipient|account|address|person|local user|e-?mail)",
            r"(?:mail ?box|recipient|account|address|addressee|e-?mail address|user account)"
            r"(?: \S+){0,2} (?:does ?n[o']?t exist|not found|unknown|is unknown|not exist|"
            r"is not valid|invalid|unavailable|not available|is not a valid)",
            r"invalid (?:recipient|mailbox|user|address|e-?mail address)",
            r"recipient not (?:found|known|exist|valid)",
            r"bad (?:destination )?"
            r"(?:mailbox|recipient)",
            r"recipnotfound",
            r"not (?:a )?valid (?:recipient|mailbox|user)",
            r"couldn'?t be found",
            r"could not be found",
            r"wasn'?t found",
            r"was not found",
            r"no mailbox",
            r"not our customer",
            r"account .{0,40}does(?: not|n'?t) exist",
            r"invalid final delivery",
            r"address is possibly incorrect",
            r"check if (?:the )?address is correct",
            r"no (?:valid )?recipients?",
            r"user (?:is )?not (?:here|local|listed)",
            r"does not have an? (?:account|mailbox)",
            r"undeliverable address",
            r"dosn'?t exist",
            r"is not a known user",
            r"not listed in",
            r"mailbox not found",
            r"unknown or illegal",
            r"rejected: user",
            r"no account",
            r"account (?:\S+ )?does not",
            r"addressee unknown",
            r"recipient address unknown",
            r"user doesn'?t have",
            r"нет так(?:ого|ой) (?:пользователя|ящика|адреса|адресата|получателя)",
            r"(?:пользователь|ящик|адрес|получатель|адресат|почтовый ящик)(?: \S+){0,3} "
            r"(?:не найден|не существует|неизвестен|отсутствует)",
            r"неизвестн(?:ый|ого) (?:пользовател|получател|адрес)",
            r"не существует",
            r"не удается найти",
            r"не удалось найти",
        ),
    ),
    (
        "policyviolation",
        _rx(
            r"polic(?:y|ies)",
            r"header error",
            r"protocol violation",
            r"content presents",
            r"potential security issue",
            r"prohibited (?:attachment|content|file)",
            r"attachment",
            r"forbidden",
            r"not allowed (?:file|extension|type)",
            r"content (?:rejected|refused)",
            r"message content",
            r"политик",
        ),
    ),
    (
        "securityerror",
        _rx(
            r"authentication required",
            r"must (?:authenticate|issue a starttls)",
            r"(?:tls|encryption|ssl) (?:is )?required",
            r"requires? (?:tls|encryption|authentication)",
            r"not authenticated",
            r"unauthenticated senders?",
            r"smtp authentication",
            r"delivery not authorized",
            r"auth(?:entication)? (?:failed|failure)",
            r"certificate",
            r"mail from .* not owned by",
            r"sender (?:is )?not authorized",
            r"unauthorized sender",
            r"требуется (?:авторизация|аутентификация)",
        ),
    ),
    ("failedstarttls", _rx(r"starttls", r"tls (?:negotiation|handshake) failed")),
    ("virusdetected", _rx(r"\bvirus")),
    (
        "notcompliantrfc",
        _rx(
            r"rfc ?(?:2822|5322|822|5321)",
            r"not (?:rfc[- ]?)?compliant",
            r"malformed (?:header|"
            r"message)",
            r"duplicate (?:header|from|message-id)",
            r"multiple (?:from|date|subject)",
            r"header (?:syntax|line)",
            r"missing (?:from|date|message-id|header)",
        ),
    ),
    (
        "contenterror",
        _rx(
            r"content (?:error|type)",
            r"invalid (?:character|content|mime)",
            r"8-?bit",
            r"mime (?:error|syntax)",
            r"line too long",
            r"encoding",
        ),
    ),
    (
        "syntaxerror",
        _rx(
            r"syntax error",
            r"command (?:unrecognized|not recognized|not implemented)",
            r"unrecognized command",
            r"parameter not implemented",
            r"improper sequence",
            r"bad sequence",
        ),
    ),
    (
        "rejected",
        _rx(
            r"sender (?:address )?(?:rejected|denied|refused|blocked|not allowed|invalid|unknown|"
            r"verify failed|domain)",
            r"(?:envelope|mail) from (?:\S+ )?(?:rejected|refused|denied)",
            r"domain of sender",
            r"sender verif",
            r"address verification failed",
            r"your (?:e-?mail )?address (?:has been )?(?:blocked|rejected|denied|blacklisted)",
            r"not allowed to send",
            r"mail from .* rejected",
            r"rejected by recipient",
            r"refused by recipient",
            r"administrative prohibition",
            r"access denied",
            r"you are not allowed",
            r"not authorized",
            r"purported responsible address",
            r"отправитель (?:\S+ )?(?:отклонен|заблокирован|запрещен)",
            r"отклонен",
        ),
    ),
    (
        "expired",
        _rx(
            r"(?:delivery|retry|queue|message) (?:time(?:out)? )?(?:expired|timeout exceeded|"
            r"time exceeded)",
            r"expired",
            r"giving up",
            r"gave up",
            r"too long in (?:the )?queue",
            r"retry time(?:out)? (?:not reached|exceeded)",
            r"in the queue too long",
            r"host not reachable",
            r"could not be delivered (?:for|within|in)",
            r"was not delivered within",
            r"delivery period",
            r"unable to deliver .* (?:days|hours)",
            r"message (?:has been )?(?:in (?:the )?queue|timed out)",
            r"истек(?:ло)? (?:срок|время)",
            r"время ожидания",
            r"connection timed out",
            r"timed out",
            r"requests to connect",
            r"failing for a long time",
            r"delivery failed \d+ attempts",
            r"still undelivered",
            r"will be deleted from queue",
        ),
    ),
    (
        "networkerror",
        _rx(
            r"connection (?:timed out|refused|reset|closed|lost|dropped)",
            r"timed out",
            r"no route to host",
            r"network (?:is )?unreachable",
            r"could not connect",
            r"couldn'?t connect",
            r"unable to connect",
            r"lost connection",
            r"too many hops",
            r"mail loop",
            r"routing loop",
            r"loops back",
            r"temporary failure in name resolution",
            r"dns (?:error|failure|problem|lookup)",
            r"mx (?:lookup|record)",
            r"hop count exceeded",
            r"connection (?:to .* )?failed",
            r"host .* unreachable",
            r"не удалось (?:подключиться|соединиться)",
        ),
    ),
    (
        "systemerror",
        _rx(
            r"system error",
            r"internal (?:server )?error",
            r"server error",
            r"local error",
            r"configuration error",
            r"temporary local problem",
            r"service (?:not available|unavailable)",
            r"try again later",
            r"i/o error",
            r"resources? (?:temporarily )?unavailable",
            r"internal (?:system|software)",
            r"service (?:currently )?unavailable",
            r"service refused",
            r"transaction failed",
            r"could not load",
            r"системная ошибка|внутренняя ошибка",
        ),
    ),
    (
        "mailererror",
        _rx(
            r"mailer error",
            r"command output",
            r"procmail",
            r"pipe to",
            r"exit (?:code|status)",
            r"\bexited\b",
            r"local delivery (?:failed|error)",
            r"unknown mailer",
        ),
    ),
]

# Said when nothing better was: used only when neither the text nor the status code names a
# cause ("Recipient address rejected." alone is about the recipient).
WEAK_PHRASES: list[tuple[str, re.Pattern[str]]] = [
    ("userunknown", _rx(r"recipient address rejected", r"\brejected$")),
]

# Enhanced status codes (RFC 3463) specific enough to name the reason by themselves.
STATUS_REASON = {
    "5.1.1": "userunknown",
    "5.1.0": "userunknown",
    "5.1.3": "userunknown",
    "5.1.4": "userunknown",
    "5.1.5": "userunknown",
    "4.1.1": "userunknown",
    "5.1.2": "hostunknown",
    "4.1.2": "hostunknown",
    "5.4.4": "hostunknown",
    "5.1.6": "hasmoved",
    "4.1.6": "hasmoved",
    "5.1.7": "rejected",
    "5.1.8": "rejected",
    "4.1.8": "rejected",
    "4.1.7": "rejected",
    "5.1.10": "notaccept",
    "5.3.2": "notaccept",
    "4.3.2": "notaccept",
    "5.2.1": "suspend",
    "4.2.1": "suspend",
    "5.2.2": "mailboxfull",
    "4.2.2": "mailboxfull",
    "5.2.3": "exceedlimit",
    "4.2.3": "exceedlimit",
    "5.3.4": "mesgtoobig",
    "4.3.4": "mesgtoobig",
    "5.3.1": "systemfull",
    "4.3.1": "systemfull",
    "4.4.5": "systemfull",
    "5.3.0": "systemerror",
    "4.3.0": "systemerror",
    "5.3.5": "systemerror",
    "4.3.5": "systemerror",
    "5.4.3": "systemerror",
    "4.4.3": "systemerror",
    "5.4.6": "networkerror",
    "4.4.6": "networkerror",
    "4.4.2": "networkerror",
    "4.4.1": "expired",
    "5.4.1": "rejected",
    "5.4.2": "networkerror",
    "5.4.0": "networkerror",
    "4.4.0": "networkerror",
    "4.4.7": "expired",
    "5.4.7": "expired",
    "5.5.2": "syntaxerror",
    "5.5.4": "syntaxerror",
    "5.5.1": "syntaxerror",
    "5.5.5": "syntaxerror",
    "5.5.3": "syntaxerror",
    "5.6.0": "contenterror",
    "5.6.1": "contenterror",
    "5.6.2": "contenterror",
    "5.6.3": "contenterror",
    "5.6.5": "contenterror",
    "5.7.2": "rejected",
    "5.7.3": "securityerror",
    "5.7.4": "securityerror",
    "5.7.5": "securityerror",
    "5.7.6": "securityerror",
    "5.7.7": "securityerror",
    "5.7.8": "securityerror",
    "5.7.9": "securityerror",
    "5.7.10": "securityerror",
    "5.7.11": "securityerror",
    "5.7.13": "suspend",
    "5.7.14": "securityerror",
    "5.7.15": "securityerror",
    "5.7.16": "securityerror",
    "5.7.17": "suspend",
    "5.7.18": "suspend",
    "5.7.19": "suspend",
    "5.7.20": "authfailure",
    "5.7.21": "authfailure",
    "5.7.22": "authfailure",
    "5.7.23": "authfailure",
    "5.7.24": "authfailure",
    "5.7.25": "requireptr",
    "5.7.26": "authfailure",
    "5.7.27": "notaccept",
    "4.7.25": "requireptr",
    "4.7.26": "authfailure",
    "5.7.28": "speeding",
    "4.7.28": "speeding",
}

# Reasons that say "the recipient does not exist": after DATA they are a content filter.
_RECIPIENT_REASONS = ("userunknown",)
# Text families that outrank a specific status code: the server's words are more precise.
_TEXT_OVER_CODE = {
    "authfailure",
    "requireptr",
    "badreputation",
    "virusdetected",
    "norelaying",
    "toomanyconn",
    "speeding",
    "blocked",
    "spamdetected",
    "mesgtoobig",
    "mailboxfull",
    "suspend",
    "hostunknown",
    "notaccept",
    "hasmoved",
    "systemfull",
    "securityerror",
    "policyviolation",
    "failedstarttls",
    "mailererror",
    "exceedlimit",
    "networkerror",
    "expired",
    "userunknown",
    "filtered",
    "notcompliantrfc",
}


_INNER_STATUS = re.compile(r"(?<![\d.])[45]\.[1-7]\.\d{1,3}(?![\d.])")
_SMTP_REPLY = re.compile(r"(?<![\d.])[245]\d\d(?![\d.])")


# "550-5.7.1 first line 550 5.7.1 second line": continuation prefixes split phrases apart.
_CONTINUATION = re.compile(r"(?<=\S)\s+[245]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3}\s+)?(?=\S)")


def join_reply_lines(text: str) -> str:
    """One line of text from a multi-line SMTP reply (the first code is kept)."""
    head = re.match(r"\s*[245]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3}\s+)?", text)
    start = head.end() if head else 0
    return text[:start] + _CONTINUATION.sub(" ", text[start:])


def text_reason(text: str) -> str | None:
    low = join_reply_lines(text[:3000]).lower()
    for reason, rx in PHRASES:
        if rx.search(low):
            return reason
    return None


def classify(
    *,
    status: str | None,
    diagnostic: str,
    command: str | None = None,
    diag_type: str = "",
    context: str = "",
) -> str:
    """The reason for one failed recipient (sisimai's vocabulary)."""
    diag = diagnostic or ""
    from_text = text_reason(diag) if diag else None
    if not status or status.endswith(".0"):
        # A relay's generic code ("5.1.0 - Unknown address error 550-'5.2.2 … Mailbox Full'",
        # as Amazon SES writes) wraps the remote server's own, more specific one.
        inner = next((c for c in _INNER_STATUS.findall(diag[:1000]) if not c.endswith(".0")), None)
        if inner:
            status = inner
    from_code = STATUS_REASON.get(status or "")
    if from_text and status and status[1:] in (".0.0", ".1.0"):
        # RFC 3463 X.1.0 is "other address status": it does not say the mailbox is unknown, so
        # any cause the server names in words is more precise than it.
        from_code = None
    if diag_type in ("x-unix", "x-local") and from_text not in ("mailboxfull", "systemfull"):
        return "mailererror"
    if status and status.startswith("2."):
        return "delivered"
    if command == "MAIL" and from_text in (
        None,
        "userunknown",
        "rejected",
        "hostunknown",
        "syntaxerror",
        "filtered",
    ):
        return "rejected"
    if command in ("CONN", "HELO") and from_text in (
        None,
        "userunknown",
        "rejected",
        "hostunknown",
        "syntaxerror",
    ):
        return "blocked"
    if from_code == "exceedlimit" and from_text == "mesgtoobig":
        from_text = "exceedlimit"  # 5.2.3: the recipient's own limit, not the server's
    if from_code == "notaccept" and from_text == "userunknown":
        from_code = None  # Exchange uses 5.1.10 for "recipient not found", not for null MX
    reason = None
    if from_text and (from_code is None or from_text in _TEXT_OVER_CODE):
        reason = from_text
    elif from_code:
        reason = from_code
    if reason is None and diag:
        low = diag[:3000].lower()
        reason = next((r for r, rx in WEAK_PHRASES if rx.search(low)), None)
    if reason is None and context and not diag:
        reason = text_reason(context[:3000])
    if reason is None:
        if status and status.startswith("4"):
            reason = "expired" if command is None and not diag else "onhold"
        elif status and status[2:] in ("7.1", "7.0"):
            reason = "rejected" if command in ("RCPT", "MAIL") else "securityerror"
        else:
            reason = "undefined" if not status else "onhold"
    if reason in _RECIPIENT_REASONS:
        # "No such user" is only about the mailbox when said to RCPT TO (or with a 5.1.x code);
        # said after DATA or without context it is a content or recipient-side filter.
        # A verdict of the receiving system itself (no SMTP reply in it, as Exchange, Domino
        # or a local delivery agent write) is about the mailbox too.
        mailbox_code = status is not None and status[2:4] == "1."
        local_verdict = status is None and command is None and not _SMTP_REPLY.search(diag)
        if not mailbox_code and not local_verdict and command != "RCPT":
            reason = "filtered"
    if reason in ("undefined", "onhold") and command in ("CONN", "HELO"):
        reason = "blocked"
    return reason
