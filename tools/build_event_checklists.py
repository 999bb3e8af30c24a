"""Build the printable anti-racism event checklist in English and French.

Both PDFs attached to the catalogue's checklist resources come from this one
script, so the two languages keep the same design and the same items: edit
the text below, run the script, and commit the PDFs it writes. It prints an
HTML page with Chromium through Playwright (already installed with the test
extras) rather than adding a PDF library to the hub's dependencies.

    .venv/bin/python tools/build_event_checklists.py
"""
from __future__ import annotations

import html
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

FILES = Path(__file__).resolve().parent.parent / "resources" / "files"

CHECKLISTS = {
    "en": {
        "file": "anti-racism-checklist-lip-events.pdf",
        "title": "Anti-Racism Checklist for LIP Events",
        "byline": "LIP Anti-Racism Working Group, 2025",
        "intro": "Use this checklist when your Local Immigration Partnership plans a meeting, forum, "
                 "workshop, celebration or public consultation. Tick each item, or note why it does not "
                 "apply. Review it with co-hosts at least four weeks before the event and again during "
                 "the debrief.",
        "fields": ["Event", "Date", "Lead"],
        "sections": [
            ("1. Purpose and planning", [
                "The purpose of the event is written down in one or two sentences, and co-hosts agree on it.",
                "People with lived experience of racism are part of the planning group, not only invited as speakers.",
                "If the event asks for community input, we know which decision that input will feed and when.",
                "Honoraria are budgeted for community speakers, Elders, Knowledge Keepers and cultural performers.",
                "We have checked the date against major religious and cultural observances.",
            ]),
            ("2. Speakers and content", [
                "The speaker line-up does not rely on one racialized person to speak for a whole community.",
                "Speakers know the audience, the time available and how questions will be handled.",
                "Any land acknowledgement has been discussed with local Indigenous partners and is specific to the place.",
                "Examples, images and case studies have been reviewed for stereotypes.",
                "Content that describes racist violence is announced in advance, and people may step out without explaining why.",
            ]),
            ("3. Access and language", [
                "The venue is physically accessible and reachable by public transit.",
                "Interpretation is offered in the main languages of participants, including French where relevant.",
                "Registration asks about access needs, dietary needs and interpretation, and does not ask for immigration status.",
                "Online events have captions, and the chat is moderated.",
                "There is a quiet space, and childcare or family-friendly timing is considered.",
            ]),
            ("4. Safety and response", [
                "A community agreement (respect, confidentiality, right to pass) is shared at the start.",
                "A named person is responsible for responding if someone makes racist or hateful remarks.",
                "The moderator has agreed wording to pause a discussion and redirect it.",
                "For online events, the host can remove participants and lock the meeting.",
                "Support contacts are ready for anyone who is harmed or upset, including speakers.",
                "We know how to document an incident and where to refer people who want to report it.",
            ]),
            ("5. After the event", [
                "Participants receive a short summary of what was heard and what happens next.",
                "Feedback is collected, including an anonymous option.",
                "Any incident is reviewed with co-hosts, and lessons are recorded.",
                "Speakers and community partners are thanked and paid promptly.",
                "Results are reported to the partnership council and, where relevant, added to the action plan.",
            ]),
        ],
        "notes": "Notes and follow-up",
        "related": "Related hub resources: Anti-Racism Self-Assessment for LIP Partnership Councils; "
                   "Responding to Hate Incidents in Newfoundland and Labrador (with an incident response "
                   "worksheet). This checklist is also available in French: Liste de vérification : "
                   "événements antiracistes des PLI.",
    },
    "fr": {
        "file": "liste-verification-evenements-antiracistes.pdf",
        "title": "Liste de vérification : événements antiracistes des PLI",
        "byline": "Groupe de travail sur l'antiracisme des PLI, 2025",
        "intro": "Utilisez cette liste lorsque votre partenariat local en matière d'immigration (PLI) organise "
                 "une réunion, un forum, un atelier, une fête ou une consultation publique. Cochez chaque "
                 "élément ou notez pourquoi il ne s'applique pas. Revoyez la liste avec les coorganisateurs "
                 "au moins quatre semaines avant l'événement, puis lors du bilan.",
        "fields": ["Événement", "Date", "Responsable"],
        "sections": [
            ("1. Objectif et planification", [
                "L'objectif de l'événement tient en une ou deux phrases et fait consensus parmi les coorganisateurs.",
                "Des personnes ayant vécu le racisme font partie du comité d'organisation, et pas seulement de la liste des conférenciers.",
                "Si l'on recueille l'avis du public, on sait à quelle décision il servira et à quel moment.",
                "Des cachets sont prévus pour les conférenciers communautaires, les aînés, les gardiens du savoir et les artistes.",
                "La date a été vérifiée par rapport aux principales fêtes religieuses et culturelles.",
            ]),
            ("2. Conférenciers et contenu", [
                "On ne demande pas à une seule personne racisée de parler au nom de toute une communauté.",
                "Les conférenciers connaissent le public, le temps alloué et la façon dont les questions seront gérées.",
                "La reconnaissance territoriale a été discutée avec des partenaires autochtones locaux et est propre au lieu.",
                "Les exemples, images et études de cas ont été relus pour éviter les stéréotypes.",
                "Tout contenu décrivant des violences racistes est annoncé à l'avance; chacun peut sortir sans avoir à se justifier.",
            ]),
            ("3. Accessibilité et langues", [
                "Le lieu est accessible et desservi par le transport en commun.",
                "L'interprétation est offerte dans les principales langues des participants; le français et l'anglais sont tous deux possibles dans les milieux bilingues.",
                "Le formulaire d'inscription porte sur les besoins d'accessibilité, d'alimentation et d'interprétation, et ne demande pas le statut d'immigration.",
                "Les événements en ligne sont sous-titrés et la messagerie est modérée.",
                "Un espace calme est prévu; on a pensé à la garde d'enfants ou à un horaire adapté aux familles.",
            ]),
            ("4. Sécurité et intervention", [
                "Une entente de groupe (respect, confidentialité, droit de ne pas répondre) est présentée au début.",
                "Une personne désignée intervient si des propos racistes ou haineux sont tenus.",
                "L'animateur dispose d'une formule convenue pour suspendre une discussion et la recentrer.",
                "En ligne, l'hôte peut retirer un participant et verrouiller la rencontre.",
                "Des personnes-ressources sont prêtes à soutenir quiconque est blessé ou ébranlé, y compris les conférenciers.",
                "On sait comment consigner un incident et vers qui orienter les personnes qui veulent le signaler.",
            ]),
            ("5. Après l'événement", [
                "Les participants reçoivent un bref résumé de ce qui a été entendu et des prochaines étapes.",
                "Les commentaires sont recueillis, y compris de façon anonyme.",
                "Tout incident est examiné avec les coorganisateurs et les leçons sont consignées.",
                "Les conférenciers et partenaires sont remerciés et payés rapidement.",
                "Les résultats sont présentés au conseil de partenariat et, au besoin, ajoutés au plan d'action.",
            ]),
        ],
        "notes": "Notes et suivi",
        "related": "Ressources liées dans le carrefour : Autoévaluation antiraciste pour les conseils de "
                   "partenariat des PLI; Répondre aux incidents haineux à Terre-Neuve-et-Labrador (avec une "
                   "fiche de planification, en anglais). Cette liste existe aussi en anglais : Anti-Racism "
                   "Checklist for LIP Events.",
    },
}

STYLE = """
@page { size: Letter; margin: 16mm 16mm 16mm 16mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9.6pt;
       color: #1d2430; line-height: 1.38; margin: 0; }
header { border-bottom: 3px solid #2b5d8a; padding-bottom: 6pt; margin-bottom: 8pt; }
h1 { font-size: 17pt; color: #2b5d8a; margin: 0 0 3pt; }
.byline { font-size: 9pt; color: #4a5566; margin: 0 0 5pt; }
.intro { margin: 0; }
.fields { display: flex; gap: 14pt; margin: 8pt 0 4pt; }
.fields span { flex: 1; border-bottom: 1px solid #1d2430; padding-top: 10pt; font-weight: bold; }
.fields span:nth-child(2) { flex: 0.6; }
h2 { font-size: 11pt; color: #fff; background: #2b5d8a; padding: 2.5pt 6pt; margin: 9pt 0 3pt;
     border-radius: 2pt; break-after: avoid; }
ul { list-style: none; margin: 0; padding: 0; }
li { display: flex; gap: 7pt; padding: 2.6pt 0; border-bottom: 0.5pt solid #d5dbe3; break-inside: avoid; }
li .box { flex: 0 0 9pt; height: 9pt; border: 1.2pt solid #2b5d8a; border-radius: 1.5pt; margin-top: 1.5pt; }
section { break-inside: auto; }
.notes h2 { background: #e8eef5; color: #2b5d8a; }
.line { border-bottom: 1px solid #8c96a3; height: 18pt; }
footer { margin-top: 10pt; font-size: 8.6pt; color: #4a5566; border-top: 1px solid #d5dbe3; padding-top: 5pt; }
"""


def page_html(lang: str, c: dict) -> str:
    e = html.escape
    sections = "".join(
        f"<section><h2>{e(heading)}</h2><ul>"
        + "".join(f'<li><span class="box" aria-hidden="true"></span><span>{e(item)}</span></li>' for item in items)
        + "</ul></section>"
        for heading, items in c["sections"])
    fields = "".join(f"<span>{e(f)} :</span>" if lang == "fr" else f"<span>{e(f)}:</span>" for f in c["fields"])
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(c["title"])}</title>'
            f'<style>{STYLE}</style></head><body><header><h1>{e(c["title"])}</h1>'
            f'<p class="byline">{e(c["byline"])}</p><p class="intro">{e(c["intro"])}</p>'
            f'<div class="fields">{fields}</div></header>{sections}'
            f'<section class="notes"><h2>{e(c["notes"])}</h2>'
            '<div class="line"></div><div class="line"></div><div class="line"></div></section>'
            f'<footer>{e(c["related"])}</footer></body></html>')


def main() -> None:
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable)
        page = browser.new_page()
        for lang, c in CHECKLISTS.items():
            page.set_content(page_html(lang, c), wait_until="load")
            page.pdf(path=str(FILES / c["file"]), format="Letter", print_background=True, tagged=True)
            print(f"wrote resources/files/{c['file']}")
        browser.close()


if __name__ == "__main__":
    main()
