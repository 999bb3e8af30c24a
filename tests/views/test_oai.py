"""OAI-PMH 2.0 as a harvester meets it: every verb, resumption and the
protocol's error codes; only public, published resources, deletions reported."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from lxml import etree

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
      "dc": "http://purl.org/dc/elements/1.1/", "id": "http://www.openarchives.org/OAI/2.0/oai-identifier"}


def oai(client, method="get", **args):
    resp = getattr(client, method)("/oai", **({"query_string": args} if method == "get" else {"data": args}))
    assert resp.status_code == 200
    assert resp.mimetype == "text/xml"
    root = etree.fromstring(resp.data)
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/}OAI-PMH"
    children = [etree.QName(c).localname for c in root]
    assert children[:2] == ["responseDate", "request"]
    datetime.strptime(root.findtext("o:responseDate", namespaces=NS), "%Y-%m-%dT%H:%M:%SZ")
    return root


def error_code(root) -> str | None:
    err = root.find("o:error", NS)
    return err.get("code") if err is not None else None


def identifiers(root) -> list[str]:
    return [h.findtext("o:identifier", namespaces=NS) for h in root.iterfind(".//o:header", NS)]


@pytest.fixture
def catalogue(make_resource):
    make_resource(slug="hiring", title="Hiring Without Bias", type="toolkit", racism_types="[anti-black]",
                  translation="embaucher", authors="[A. Person]")
    make_resource(slug="embaucher", title="Embaucher sans biais", type="toolkit", language="fr",
                  racism_types="[anti-black]", translation="hiring")
    make_resource(slug="report", title="A report", type="report", racism_types="[anti-indigenous, systemic]")
    make_resource(slug="members-guide", title="Members guide", type="guide", access="members")


def test_identify_describes_the_repository(client, catalogue):
    root = oai(client, verb="Identify")
    node = root.find("o:Identify", NS)
    order = [etree.QName(c).localname for c in node]
    assert order[:7] == ["repositoryName", "baseURL", "protocolVersion", "adminEmail", "earliestDatestamp",
                         "deletedRecord", "granularity"]
    assert node.findtext("o:baseURL", namespaces=NS) == "http://localhost/oai"
    assert node.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert node.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert node.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert root.find("o:request", NS).get("verb") == "Identify"


def test_identify_names_the_identifier_scheme_for_a_domain(app, client, catalogue):
    app.config["OAI_REPOSITORY_ID"] = "hub.example.ca"
    root = oai(client, verb="Identify")
    assert root.findtext(".//id:repositoryIdentifier", namespaces=NS) == "hub.example.ca"
    assert identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))[0].startswith(
        "oai:hub.example.ca:")


def test_list_metadata_formats(client, catalogue):
    root = oai(client, verb="ListMetadataFormats")
    assert [e.text for e in root.iterfind(".//o:metadataPrefix", NS)] == ["oai_dc"]
    root = oai(client, verb="ListMetadataFormats", identifier="oai:localhost:hiring")
    assert error_code(root) is None
    assert error_code(oai(client, verb="ListMetadataFormats", identifier="oai:localhost:nope")) == "idDoesNotExist"
    assert error_code(oai(client, verb="ListMetadataFormats",
                          identifier="oai:localhost:members-guide")) == "idDoesNotExist"


def test_list_sets_by_type_and_racism_type(client, catalogue):
    root = oai(client, verb="ListSets")
    specs = [e.text for e in root.iterfind(".//o:setSpec", NS)]
    assert {"type", "type:toolkit", "type:self-assessment", "racism_type", "racism_type:anti-black"} <= set(specs)
    names = {s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
             for s in root.iterfind(".//o:set", NS)}
    assert names["type:toolkit"] == "Toolkit / Trousse d'outils"
    assert error_code(oai(client, verb="ListSets", resumptionToken="x")) == "badResumptionToken"


def test_list_identifiers_only_public_published(client, catalogue):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert sorted(identifiers(root)) == ["oai:localhost:embaucher", "oai:localhost:hiring", "oai:localhost:report"]
    assert root.find(".//o:metadata", NS) is None
    sets = {h.findtext("o:identifier", namespaces=NS): [s.text for s in h.iterfind("o:setSpec", NS)]
            for h in root.iterfind(".//o:header", NS)}
    assert sets["oai:localhost:report"] == ["type:report", "racism_type:anti-indigenous", "racism_type:systemic"]


def test_list_by_set(client, catalogue):
    ids = identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="racism_type:systemic"))
    assert ids == ["oai:localhost:report"]
    ids = identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:toolkit"))
    assert sorted(ids) == ["oai:localhost:embaucher", "oai:localhost:hiring"]
    assert len(identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type"))) == 3
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:glossary")
    assert error_code(root) == "noRecordsMatch"
    assert error_code(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="colour:red")) == \
        "noRecordsMatch"


def test_get_record_in_dublin_core(client, catalogue):
    root = oai(client, verb="GetRecord", identifier="oai:localhost:hiring", metadataPrefix="oai_dc")
    record = root.find("o:GetRecord/o:record", NS)
    assert record.findtext("o:header/o:identifier", namespaces=NS) == "oai:localhost:hiring"
    dc = record.find("o:metadata/oai_dc:dc", NS)
    values = lambda tag: [e.text for e in dc.iterfind(f"dc:{tag}", NS)]  # noqa: E731
    assert values("title") == ["Hiring Without Bias"]
    assert values("creator") == ["A. Person"]
    assert values("publisher") == ["Calgary Local Immigration Partnership"]
    assert values("description") == ["Practices for employers in small municipalities."]
    assert values("date") == ["2022-03-15"]
    assert values("language") == ["en"]
    assert "Toolkit" in values("type")
    assert "Anti-Black racism" in values("subject") and "hiring" in values("subject")
    assert "http://localhost/en/resources/hiring" in values("identifier")
    assert values("relation") == ["http://localhost/fr/resources/embaucher"]
    assert values("coverage") == ["Alberta"]
    french = oai(client, verb="GetRecord", identifier="oai:localhost:embaucher", metadataPrefix="oai_dc")
    assert "Trousse d'outils" in [e.text for e in french.iterfind(".//dc:type", NS)]


def test_get_record_errors(client, catalogue):
    assert error_code(oai(client, verb="GetRecord", identifier="oai:localhost:hiring",
                          metadataPrefix="marc21")) == "cannotDisseminateFormat"
    assert error_code(oai(client, verb="GetRecord", identifier="oai:localhost:members-guide",
                          metadataPrefix="oai_dc")) == "idDoesNotExist"
    assert error_code(oai(client, verb="GetRecord", identifier="oai:elsewhere:hiring",
                          metadataPrefix="oai_dc")) == "idDoesNotExist"
    assert error_code(oai(client, verb="GetRecord", identifier="oai:localhost:hiring")) == "badArgument"


@pytest.mark.parametrize("args, code", [
    ({}, "badVerb"),
    ({"verb": "Dance"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "extra": "1"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-45"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01T00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01",
      "until": "2021-01-01T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-02", "until": "2021-01-01"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "abc"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "abc"}, "badResumptionToken"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1990-01-01"}, "noRecordsMatch"),
])
def test_protocol_errors(client, catalogue, args, code):
    root = oai(client, **args) if args else oai(client)
    assert error_code(root) == code
    request_attrs = dict(root.find("o:request", NS).attrib)
    if code in ("badVerb", "badArgument"):
        assert request_attrs == {}
    assert root.find("o:error", NS).text  # a human explanation


def test_post_is_accepted_without_csrf(client, catalogue):
    root = oai(client, "post", verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert len(identifiers(root)) == 3


def test_resumption_walks_every_record_once(app, client, make_resource):
    app.config["OAI_PAGE_SIZE"] = 2
    for n in range(5):
        make_resource(slug=f"r{n}")
    seen, cursors, token, pages = [], [], None, 0
    while True:
        args = {"verb": "ListRecords"}
        args.update({"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"})
        root = oai(client, **args)
        assert error_code(root) is None
        seen += identifiers(root)
        pages += 1
        element = root.find(".//o:resumptionToken", NS)
        assert element is not None and element.get("completeListSize") == "5"
        cursors.append(int(element.get("cursor")))
        token = element.text
        if not token:
            break
        # A token is bound to its verb.
        assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"
        # A tampered token is refused.
        tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
        assert error_code(oai(client, verb="ListRecords", resumptionToken=tampered)) == "badResumptionToken"
    assert pages == 3 and cursors == [0, 2, 4]
    assert sorted(seen) == sorted(f"oai:localhost:r{n}" for n in range(5))


def test_a_change_during_a_harvest_neither_skips_nor_repeats(app, client, make_resource):
    app.config["OAI_PAGE_SIZE"] = 2
    for n in range(4):
        make_resource(slug=f"r{n}")
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    sent = identifiers(first)
    make_resource(slug="r-new")  # published while the harvest is under way: comes last
    token = first.find(".//o:resumptionToken", NS).text
    while token:
        root = oai(client, verb="ListIdentifiers", resumptionToken=token)
        sent += identifiers(root)
        token = root.find(".//o:resumptionToken", NS).text
    assert sorted(sent) == sorted({*(f"oai:localhost:r{n}" for n in range(4)), "oai:localhost:r-new"})


def test_from_until_select_by_datestamp(client, catalogue):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    stamps = [h.findtext("o:datestamp", namespaces=NS) for h in root.iterfind(".//o:header", NS)]
    assert stamps == sorted(stamps)
    today = datetime.strptime(stamps[0], "%Y-%m-%dT%H:%M:%SZ")
    day = f"{today:%Y-%m-%d}"
    assert len(identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": day}))) == 3
    assert len(identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=day))) == 3
    assert len(identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
                               **{"from": stamps[0], "until": stamps[-1]}))) == 3
    tomorrow = f"{today + timedelta(days=1):%Y-%m-%d}"
    assert error_code(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
                          **{"from": tomorrow})) == "noRecordsMatch"



def test_withdrawn_resources_are_deleted_records(app, client, make_resource, make_user):
    from hub.services.resources import delete_resource

    make_resource(slug="kept", title="Kept")
    make_resource(slug="to-members", title="Moves to members")
    make_resource(slug="to-delete", title="Will be deleted")
    make_resource(slug="always-members", title="Members", access="members")
    # The same slug imported again with new front matter updates it in place.
    make_resource(slug="to-members", title="Moves to members", access="members")
    delete_resource(make_user("editor"), "to-delete")
    delete_resource(make_user("editor"), "always-members")

    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    records = {r.findtext("o:header/o:identifier", namespaces=NS): r for r in root.iterfind(".//o:record", NS)}
    assert set(records) == {"oai:localhost:kept", "oai:localhost:to-members", "oai:localhost:to-delete"}
    for gone in ("oai:localhost:to-members", "oai:localhost:to-delete"):
        assert records[gone].find("o:header", NS).get("status") == "deleted"
        assert records[gone].find("o:metadata", NS) is None
    assert records["oai:localhost:kept"].find("o:header", NS).get("status") is None
    deleted = oai(client, verb="GetRecord", identifier="oai:localhost:to-delete", metadataPrefix="oai_dc")
    assert deleted.find(".//o:header", NS).get("status") == "deleted"
    # A resource that never was public leaves no trace, not even its slug.
    assert b"always-members" not in client.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").data

    # Public again: a live record once more, no longer deleted.
    make_resource(slug="to-members", title="Moves to members", access="public")
    root = oai(client, verb="GetRecord", identifier="oai:localhost:to-members", metadataPrefix="oai_dc")
    assert root.find(".//o:header", NS).get("status") is None
    assert root.findtext(".//dc:title", namespaces=NS) == "Moves to members"
