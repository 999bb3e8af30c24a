"""OAI-PMH 2.0 at /oai, with Dublin Core (oai_dc), so library and repository
harvesters can collect the public catalogue.

A thin channel: it parses the protocol's arguments, asks the harvest service
for records (always the anonymous reader's view) and writes the XML. Deleted
records come from tombstones (see hub/services/harvest.py). Resumption
tokens are signed and stateless: they carry the request's filters and the
(datestamp, slug) of the last record sent, so a harvest survives restarts
and several workers, and changes during a harvest neither skip nor repeat
the records already sent.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from lxml import etree

from hub import canonical
from hub.content import fields as declared
from hub.content.bilingual import by_language
from hub.extensions import csrf
from hub.services import harvest
from hub.textclean import xml_safe
from hub.vocabularies import load_vocabularies

bp = Blueprint("oai", __name__)

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
METADATA_FORMATS = {"oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC)}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DOMAIN_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

VERBS = {
    # verb: (required, optional, exclusive)
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


# -- small helpers ---------------------------------------------------------------
def _stamp(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%SZ}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _repository_id() -> str:
    return current_app.config.get("OAI_REPOSITORY_ID") or urlsplit(canonical.site_root()).hostname or "localhost"


def _identifier(slug: str) -> str:
    return f"oai:{_repository_id()}:{slug}"


def _slug_of(identifier: str) -> str | None:
    prefix = f"oai:{_repository_id()}:"
    return identifier[len(prefix):] if identifier.startswith(prefix) else None


def _page_size() -> int:
    return int(current_app.config.get("OAI_PAGE_SIZE") or 100)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="oai-pmh-resumption")


def _parse_date(value: str, name: str) -> tuple[datetime, str]:
    """A datestamp argument and its granularity ('day' or 'second')."""
    try:
        if DAY_RE.match(value):
            return datetime.strptime(value, "%Y-%m-%d"), "day"
        if SECOND_RE.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ"), "second"
    except ValueError:
        pass
    raise OAIError("badArgument", f"'{name}' must be a date (YYYY-MM-DD) or a UTC time "
                                  f"(YYYY-MM-DDThh:mm:ssZ), not '{value}'.")


def _window(args: dict) -> tuple[datetime | None, datetime | None]:
    """from/until (inclusive, as OAI-PMH says) -> since <= datestamp < before."""
    since = before = None
    grains = set()
    if "from" in args:
        since, grain = _parse_date(args["from"], "from")
        grains.add(grain)
    if "until" in args:
        until, grain = _parse_date(args["until"], "until")
        grains.add(grain)
        before = until + (timedelta(days=1) if grain == "day" else timedelta(seconds=1))
    if len(grains) > 1:
        raise OAIError("badArgument", "'from' and 'until' must have the same granularity.")
    if since is not None and before is not None and since >= before:
        raise OAIError("badArgument", "'from' is later than 'until'.")
    return since, before


# -- XML ------------------------------------------------------------------------------
def _envelope(attrs: dict[str, str]):
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    etree.SubElement(root, f"{{{OAI}}}responseDate").text = _stamp(_now())
    req = etree.SubElement(root, f"{{{OAI}}}request", attrib={k: xml_safe(v) for k, v in attrs.items()})
    req.text = url_for("oai.endpoint", _external=True)
    return root


def _sub(parent, tag: str, text: str | None = None, ns: str = OAI, **attrs):
    """Every text and attribute goes through `xml_safe`: one stored title with
    U+0001 would otherwise make lxml refuse every ListRecords page holding it."""
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attrib={k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _respond(root) -> Response:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Response(body, mimetype="text/xml")


def _header(parent, record: harvest.HarvestRecord) -> None:
    header = _sub(parent, "header", **({"status": "deleted"} if record.deleted else {}))
    _sub(header, "identifier", _identifier(record.slug))
    _sub(header, "datestamp", _stamp(record.datestamp))
    for spec in record.sets:
        _sub(header, "setSpec", spec)


def _dublin_core(parent, resource, translation) -> None:
    dc = etree.SubElement(parent, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    vocab = load_vocabularies()
    lang = resource.language

    def el(tag: str, text: str | None, **attrs) -> None:
        if text:
            _sub(dc, tag, text, ns=DC, **attrs)

    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for spec in declared.fields():
        if not spec.dublin_core:
            continue
        value = spec.read(resource)
        if spec.bilingual:
            for text_lang, text in by_language(lang, value, resource.translations, spec.name).items():
                for item in text if isinstance(text, list) else [text]:
                    el(spec.dublin_core, item, **{xml_lang: text_lang})
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if spec.vocabulary and spec.dublin_core != "language":
                el(spec.dublin_core, vocab.label(spec.vocabulary, item, lang), **{xml_lang: lang})
            else:
                el(spec.dublin_core, item)
    if not resource.authors:
        el("creator", resource.organization)
    el("type", "Text")
    el("identifier", url_for("resources.show", lang=lang, slug=resource.slug, _external=True))
    if translation is not None:
        el("relation", url_for("resources.show", lang=translation.language, slug=translation.slug, _external=True))
    for attachment in resource.attachments:
        el("format", attachment.media_type)


def _record(parent, record: harvest.HarvestRecord, translations: dict) -> None:
    element = _sub(parent, "record")
    _header(element, record)
    if not record.deleted:
        _dublin_core(_sub(element, "metadata"), record.resource, translations.get(record.slug))


# -- verbs -------------------------------------------------------------------------------
def _identify(root, args) -> None:
    node = _sub(root, "Identify")
    _sub(node, "repositoryName", current_app.config.get("OAI_REPOSITORY_NAME")
         or "LIP Anti-Racism Hub / Carrefour antiraciste des PLI")
    _sub(node, "baseURL", url_for("oai.endpoint", _external=True))
    _sub(node, "protocolVersion", "2.0")
    _sub(node, "adminEmail", current_app.config.get("OAI_ADMIN_EMAIL") or current_app.config["MAIL_SENDER"])
    _sub(node, "earliestDatestamp", _stamp(harvest.earliest_datestamp() or _now()))
    _sub(node, "deletedRecord", "persistent")
    _sub(node, "granularity", GRANULARITY)
    repo_id = _repository_id()
    if DOMAIN_RE.match(repo_id):
        desc = _sub(node, "description")
        ident = etree.SubElement(desc, f"{{{OAI_ID}}}oai-identifier", nsmap={None: OAI_ID})
        ident.set(f"{{{XSI}}}schemaLocation", f"{OAI_ID} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")
        _sub(ident, "scheme", "oai", ns=OAI_ID)
        _sub(ident, "repositoryIdentifier", repo_id, ns=OAI_ID)
        _sub(ident, "delimiter", ":", ns=OAI_ID)
        _sub(ident, "sampleIdentifier", _identifier("hiring-without-bias"), ns=OAI_ID)


def _list_metadata_formats(root, args) -> None:
    if "identifier" in args:
        slug = _slug_of(args["identifier"])
        if slug is None or harvest.get_record(slug) is None:
            raise OAIError("idDoesNotExist", f"No record has the identifier '{args['identifier']}'.")
    node = _sub(root, "ListMetadataFormats")
    for prefix, (schema, namespace) in METADATA_FORMATS.items():
        fmt = _sub(node, "metadataFormat")
        _sub(fmt, "metadataPrefix", prefix)
        _sub(fmt, "schema", schema)
        _sub(fmt, "metadataNamespace", namespace)


def _list_sets(root, args) -> None:
    if "resumptionToken" in args:
        raise OAIError("badResumptionToken", "The list of sets is sent whole; there is nothing to resume.")
    node = _sub(root, "ListSets")
    for item in harvest.harvest_sets():
        entry = _sub(node, "set")
        _sub(entry, "setSpec", item.spec)
        _sub(entry, "setName", " / ".join(dict.fromkeys(item.names.get(loc) or item.names["en"]
                                                          for loc in ("en", "fr"))))
        if item.descriptions:
            desc = _sub(entry, "setDescription")
            dc = etree.SubElement(desc, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
            dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
            for loc, text in item.descriptions.items():
                _sub(dc, "description", text, ns=DC, **{"{http://www.w3.org/XML/1998/namespace}lang": loc})


def _list(root, args, verb: str) -> None:
    if "resumptionToken" in args:
        try:
            state = _serializer().loads(args["resumptionToken"])
            if state.get("v") != verb:
                raise BadSignature("token of another verb")
            since = datetime.fromisoformat(state["f"]) if state.get("f") else None
            before = datetime.fromisoformat(state["u"]) if state.get("u") else None
            after = (datetime.fromisoformat(state["a"][0]), str(state["a"][1]))
            set_spec, cursor = state.get("s"), int(state["c"])
        except (BadSignature, KeyError, TypeError, ValueError, IndexError):
            raise OAIError("badResumptionToken", "The resumption token is invalid or has expired.") from None
    else:
        if args["metadataPrefix"] not in METADATA_FORMATS:
            raise OAIError("cannotDisseminateFormat",
                           f"The metadata format '{args['metadataPrefix']}' is not offered; use oai_dc.")
        since, before = _window(args)
        set_spec, after, cursor = args.get("set"), None, 0
        if set_spec is not None and not harvest.is_known_set(set_spec):
            raise OAIError("noRecordsMatch", f"There is no set '{set_spec}'; ListSets names them.")
    records, more = harvest.list_records(since=since, before=before, set_spec=set_spec, after=after,
                                         limit=_page_size())
    if not records and cursor == 0:
        raise OAIError("noRecordsMatch", "No record matches these arguments.")
    node = _sub(root, verb)
    if verb == "ListRecords":
        translations = harvest.public_translations([r.resource for r in records if r.resource is not None])
        for record in records:
            _record(node, record, translations)
    else:
        for record in records:
            _header(node, record)
    if more or cursor:
        size = str(harvest.count_records(since=since, before=before, set_spec=set_spec))
        token = _sub(node, "resumptionToken", completeListSize=size, cursor=str(cursor))
        if more:
            last = records[-1]
            token.text = _serializer().dumps({
                "v": verb, "f": since.isoformat() if since else None, "u": before.isoformat() if before else None,
                "s": set_spec, "a": [last.datestamp.isoformat(), last.slug], "c": cursor + len(records)})


def _get_record(root, args) -> None:
    if args["metadataPrefix"] not in METADATA_FORMATS:
        raise OAIError("cannotDisseminateFormat",
                       f"The metadata format '{args['metadataPrefix']}' is not offered; use oai_dc.")
    slug = _slug_of(args["identifier"])
    record = harvest.get_record(slug) if slug else None
    if record is None:
        raise OAIError("idDoesNotExist", f"No record has the identifier '{args['identifier']}'.")
    translations = harvest.public_translations([record.resource]) if record.resource is not None else {}
    _record(_sub(root, "GetRecord"), record, translations)


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": lambda root, args: _list(root, args, "ListIdentifiers"),
    "ListRecords": lambda root, args: _list(root, args, "ListRecords"),
    "GetRecord": _get_record,
}


def _arguments() -> tuple[str, dict[str, str]]:
    """The verb and its arguments, checked against the protocol's rules."""
    source = request.form if request.method == "POST" else request.args
    verbs = source.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "The 'verb' argument is missing, repeated or not an OAI-PMH verb."
                       if len(verbs) != 1 else f"'{verbs[0]}' is not an OAI-PMH verb.")
    verb = verbs[0]
    required, optional, exclusive = VERBS[verb]
    args: dict[str, str] = {}
    for key in source:
        if key == "verb":
            continue
        values = source.getlist(key)
        if len(values) > 1:
            raise OAIError("badArgument", f"The argument '{key}' is repeated.")
        if key not in required | optional and key != exclusive:
            raise OAIError("badArgument", f"'{key}' is not an argument of {verb}.")
        args[key] = values[0]
    if exclusive and exclusive in args:
        if len(args) > 1:
            raise OAIError("badArgument", f"'{exclusive}' is an exclusive argument: send it alone.")
    else:
        missing = sorted(required - set(args))
        if missing:
            raise OAIError("badArgument", f"{verb} needs the argument(s): {', '.join(missing)}.")
    return verb, args


@bp.route("/oai", methods=["GET", "POST"])
@csrf.exempt
def endpoint():
    try:
        verb, args = _arguments()
    except OAIError as exc:
        root = _envelope({})
        _sub(root, "error", exc.message, code=exc.code)
        return _respond(root)
    try:
        root = _envelope({"verb": verb, **args})
        HANDLERS[verb](root, args)
    except OAIError as exc:
        # badArgument and badVerb answers must not echo the arguments (OAI-PMH 2.0, section 3.6).
        root = _envelope({} if exc.code in ("badArgument", "badVerb") else {"verb": verb, **args})
        _sub(root, "error", exc.message, code=exc.code)
    return _respond(root)
