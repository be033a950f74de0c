"""Peak memory of ``newsclean clean`` from 1k to 100k inputs: it should stay flat.

A batch is a stream (inputs are walked in order without being listed, each file is read and
its line written; the batch pass keeps its state on disk), so the memory a run needs must not
grow with the number of inputs. This script checks it from outside, as a user would see it.

For each size it writes a synthetic corpus of text dumps to a temporary folder, streaming (one
document in memory at a time): English, German and Spanish articles made from templates with a
seeded ``random.Random``, 150-600 words each, 50 fictional sites with their own header and
date styles, inline clutter (photo credits, "Advertisement", "READ MORE") and, for most, trailing
boilerplate ("See also", "Leave a Reply", cookie notices, share rows). Every document is
distinct; about 1 % are near-duplicates of a recent one (a republication with one sentence
added, half of them with a correction note). Files go 1,000 to a folder. The same seed gives
the same documents, so the 1k corpus is the first 1k of the 100k one.

Then it runs the CLI (``python -m newsclean clean DIR -o OUT --fresh -j N``) inside a small
wrapper process, one wrapper per size, and reports for each size:

- the RSS of the CLI's whole process tree (parent and workers), summed from ``/proc`` every
  0.05 s (no psutil needed), its peak, its course over the run and its peak over the second
  half of the run, past the start-up spike of loading the language profiles; also the peak PSS,
  which counts the pages forked workers share only once (the RSS sum counts them per worker);
- the largest single process's max RSS: ``getrusage(RUSAGE_CHILDREN)`` in the wrapper. It is
  exact, so it catches spikes shorter than the sampling interval; the peak reported is the
  larger of the two (the tree's peak can be no less than any one process's);
- wall time, docs/s, records and errors, and whether every input has exactly one line across
  OUT and its error report (``out.jsonl`` -> ``out.errors.jsonl``).

It ends with the ratio of the peak RSS at the largest size to the smallest: PASS when it is
within 10 %. A benchmark, not a test: it prints figures and asserts nothing. Linux only; run it
with the project's virtualenv so that ``python -m newsclean`` works.

    python benchmarks/bench_memory.py                # 1,000 and 100,000 inputs (~10 min, -j 1)
    python benchmarks/bench_memory.py --quick        # 1,000 and 10,000
    python benchmarks/bench_memory.py --sizes 1000,10000,30000 --jobs 2 --keep
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import IO, Any

FILES_PER_FOLDER = 1000
SAMPLE_SECONDS = 0.05
NEAR_DUPLICATE_SHARE = 0.01
TOLERANCE = 0.10
SUMMARY_STARTS = ("newsclean:", "duplicates:")  # the CLI's summary lines worth repeating
MIB = 1024 * 1024

# Runs the CLI given as its arguments, then prints the largest max RSS among its children (KiB).
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "wall": wall, "maxrss_kib": usage.ru_maxrss}))
"""


# --- Vocabulary: one block per language ------------------------------------------------------


@dataclass(frozen=True)
class Language:
    code: str
    towns: tuple[str, ...]
    mastheads: tuple[str, ...]  # "{town}" is the site's town
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    orgs: tuple[str, ...]
    things: tuple[str, ...]
    days: tuple[str, ...]
    months: tuple[str, ...]
    titles: tuple[str, ...]
    sentences: tuple[str, ...]
    quotes: tuple[str, ...]
    said: tuple[str, ...]
    byline: str
    photo: str
    advert: str
    read_more: str
    wire: tuple[str, ...]
    trailers: tuple[tuple[str, ...], ...]  # boilerplate blocks, one line per item
    update: str
    long_date: str  # "{d} {month} {y}" in the language's word order


def _split(items: str) -> tuple[str, ...]:
    """``"a | b | c"`` -> ``("a", "b", "c")``: keeps the word lists short to read."""
    return tuple(item.strip() for item in items.split("|"))


EN = Language(
    code="en",
    towns=_split(
        "Harbour | Pennbridge | Elmbrook | Calder | Ashford Vale | Kingsmere | Northgate | Wexley | "
        "Marlow Bay | Dunmore | Hollins | Redcliff | Stanwick | Brackenford | Greyhaven | Tillbury | "
        "Oakhurst"
    ),
    mastheads=_split(
        "The {town} Ledger | {town} Gazette | The {town} Courier | {town} Herald | {town} Chronicle"
    ),
    first_names=_split("Megan | Colin | Fiona | Derek | Aisha | Tom | Irene | Daniel | Rosalind | Peter"),
    last_names=_split("Talbot | Drysdale | Baird | Langley | Rahman | Whitcombe | Maclaren | Okafor | Pryce"),
    orgs=_split(
        "the county council | the water board | Northwater Ferries | the health trust | the transport "
        "authority | the chamber of commerce | the fire service | the university | the police | the "
        "housing association"
    ),
    things=_split(
        "bridge | reservoir | ferry route | bus station | library | hospital wing | school | harbour wall "
        "| cycle lane | market hall | swimming pool | railway line"
    ),
    days=_split("Monday | Tuesday | Wednesday | Thursday | Friday | Saturday | Sunday"),
    months=_split(
        "January | February | March | April | May | June | July | August | September | October | November "
        "| December"
    ),
    said=_split("said {first} {last} | {first} {last} said | according to {first} {last} of {org}"),
    wire=_split("(Reuters) | (AP) | Reporting by {first} {last}; Editing by {first2} {last2}"),
    titles=(
        "{Org} approves £{num}m plan for {town} {thing}",
        "{town} {thing} to close for {num2} weeks after safety inspection",
        "Residents oppose new {thing} in {town} as costs rise to £{num}m",
        "{Org} delays decision on {town} {thing} until {month}",
        "Fire at {town} {thing} forces evacuation of {num3} people",
        "{town} {thing} reopens after {num2}-month repair",
    ),
    sentences=(
        "The work on the {thing} in {town} is expected to cost about £{num} million and take {num2} months.",
        "According to {org}, around {num3} people use the {thing} every day.",
        "{first} {last}, who has lived in {town} for {num2} years, said the plan had come as a surprise.",
        "Officials said a final decision would be taken at a meeting on {day}.",
        "The {thing} was last renovated in {year}, when it was already considered too small.",
        "Critics argue that {org} has not explained where the money will come from.",
        "A spokesperson for {org} said the safety of the public came first.",
        "On {day} more than {num3} residents signed a petition against the proposal.",
        "The project was first announced in {year} but was delayed twice over the budget.",
        "Traffic around the {thing} is expected to be disrupted until the end of {month}.",
        "Local businesses say they have already lost customers since the works began.",
        "The council said it would publish a full report before the end of {month}.",
        "Engineers found cracks in the structure during a routine inspection in {month}.",
        "{first} {last} of {org} told the meeting that there was no alternative.",
        "Several councillors asked why the neighbouring town of {town2} had been left out.",
        "The average household bill is expected to rise by about £{num} a year as a result.",
        "Opposition members voted against the plan, calling it rushed and expensive.",
        "A public exhibition of the plans will be held at the {town} community centre.",
    ),
    quotes=(
        "We have waited for this for a very long time",
        "Nobody here is against the project, but we want to be heard",
        "Safety comes first, and we will not cut corners",
        "It is the biggest investment the town has seen in a generation",
        "Every winter we hold our breath",
    ),
    byline="By {first} {last}",
    photo="Photo: {first} {last}/Reuters",
    advert="Advertisement",
    read_more="READ MORE: {related}",
    trailers=(
        (
            "Share this article",
            "Facebook Twitter WhatsApp Email",
        ),
        (
            "See also",
            "{related}",
        ),
        (
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
            "Comment *",
            "Name *",
            "Email *",
            "Website",
            "Save my name, email, and website in this browser for the next time I comment.",
            "Post Comment",
        ),
        (
            "We use cookies to give you the best experience on our website. By continuing to browse, "
            "you agree to our use of cookies.",
            "Accept Manage preferences",
        ),
        ("Sign up to {site}’s morning briefing – the day’s top stories, straight to your inbox.",),
        ("© {year} {site}. All rights reserved.",),
    ),
    update="Update: this article was corrected on {day} to give the right figure of {num3}.",
    long_date="{d} {month} {y}",
)

DE = Language(
    code="de",
    towns=_split(
        "Wendermünde | Kirchaitling | Hollerbach | Oberland | Lindenau | Bergheim | Altstetten | "
        "Rosenfeld | Seewalde | Eichstätt | Grünau | Marienburg | Talhausen | Norddorf | Weidenbrück | "
        "Schönhagen"
    ),
    mastheads=_split(
        "{town}-Echo | Rundschau {town} | Anzeiger für {town} | Kurier {town} | Tagblatt {town}"
    ),
    first_names=_split("Verena | Tobias | Birgit | Henning | Katharina | Franz | Monika | Georg | Lars"),
    last_names=_split("Huber | Rehm | Sommerfeld | Brodersen | Weber | Seidl | Strasser | Pfaffinger"),
    orgs=_split(
        "der Gemeinderat | die Stadtverwaltung | die Hafenbehörde | die Gewerkschaft | der Landkreis | "
        "die Polizei | die Feuerwehr | der Verkehrsverbund | die Stadtwerke"
    ),
    things=_split(
        "Freibad | Neubaugebiet | Hafenterminal | Bahnhof | Krankenhaus | Rathaus | Schulzentrum | "
        "Umgehungsstraße | Stadtbibliothek | Marktplatz | Radweg | Klärwerk"
    ),
    days=_split("Montag | Dienstag | Mittwoch | Donnerstag | Freitag | Samstag | Sonntag"),
    months=_split(
        "Januar | Februar | März | April | Mai | Juni | Juli | August | September | Oktober | November | "
        "Dezember"
    ),
    said=_split("sagte {first} {last} | erklärte {first} {last} | so {first} {last}"),
    wire=_split("(dpa) | hbe/tsc (dpa, rtr) | (epd)"),
    titles=(
        "{Org} stoppt Pläne für {thing} in {town}",
        "{thing} in {town} bleibt {num2} Wochen geschlossen",
        "Streit um {thing}: Kosten steigen auf {num} Millionen Euro",
        "{town}: Neues {thing} soll im {month} eröffnen",
        "Brand im {thing} – {num3} Menschen in {town} evakuiert",
        "Bürger in {town} protestieren gegen {thing}",
    ),
    sentences=(
        "Die Arbeiten am {thing} in {town} sollen rund {num} Millionen Euro kosten und {num2} Monate dauern.",
        "Nach Angaben von {org} nutzen täglich etwa {num3} Menschen das {thing}.",
        "{first} {last}, die seit {num2} Jahren in {town} lebt, zeigte sich von der Entscheidung überrascht.",
        "Eine endgültige Entscheidung soll in der Sitzung am {day} fallen.",
        "Zuletzt war das {thing} im Jahr {year} saniert worden, damals galt es bereits als zu klein.",
        "Kritiker werfen {org} vor, die Finanzierung nicht geklärt zu haben.",
        "Ein Sprecher sagte, die Sicherheit der Bürgerinnen und Bürger habe Vorrang.",
        "Am {day} unterschrieben mehr als {num3} Anwohner eine Petition gegen das Vorhaben.",
        "Das Projekt war bereits {year} angekündigt und seither zweimal verschoben worden.",
        "Rund um das {thing} ist bis Ende {month} mit Verkehrsbehinderungen zu rechnen.",
        "Geschäftsleute berichten, dass ihnen seit Beginn der Bauarbeiten Kunden fehlen.",
        "Die Verwaltung will bis Ende {month} einen ausführlichen Bericht vorlegen.",
        "Bei einer routinemäßigen Prüfung im {month} hatten Gutachter Risse entdeckt.",
        "Mehrere Gemeinderäte fragten, warum die Nachbargemeinde {town2} nicht beteiligt wurde.",
        "Für einen durchschnittlichen Haushalt steigen die Kosten dadurch um etwa {num} Euro im Jahr.",
        "Die Opposition stimmte gegen den Plan und nannte ihn überhastet und zu teuer.",
        "Die Pläne werden im Bürgerhaus von {town} öffentlich ausgestellt.",
        "Wie es nun weitergeht, ist offen.",
    ),
    quotes=(
        "Darauf haben wir sehr lange gewartet",
        "Wir sind nicht gegen das Projekt, aber wir wollen gehört werden",
        "Die Sicherheit geht vor, da machen wir keine Abstriche",
        "Das ist die größte Investition seit Jahrzehnten",
        "Jeden Winter halten wir den Atem an",
    ),
    byline="Von {first} {last}",
    photo="Foto: {first} {last}/dpa",
    advert="Anzeige",
    read_more="Lesen Sie auch: {related}",
    trailers=(
        (
            "Teilen:",
            "Facebook Twitter WhatsApp E-Mail",
        ),
        (
            "Mehr zum Thema:",
            "{related}",
        ),
        (
            "Schreibe einen Kommentar",
            "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
            "Kommentar *",
            "Name *",
            "E-Mail *",
            "Website",
            "Kommentar abschicken",
        ),
        (
            "Wir verwenden Cookies, um Ihnen ein optimales Nutzungserlebnis zu bieten. Mit der Nutzung "
            "unserer Website stimmen Sie der Verwendung von Cookies zu.",
            "Einstellungen Alle akzeptieren",
        ),
        ("© {site} {year} – Alle Rechte vorbehalten",),
    ),
    update="Korrektur: In einer früheren Fassung stand eine falsche Zahl; richtig sind {num3}.",
    long_date="{d}. {month} {y}",
)

ES = Language(
    code="es",
    towns=_split(
        "Valdeserra | Puerto Almena | Villaseca | La Ribera | Montealto | San Esteban | Robledo | "
        "Castrovega | Aldeanueva | Peñaflor | Torremar | Fuentesol | Navalcruz | Olivar | Riomayor | "
        "Campollano | Bañares"
    ),
    mastheads=_split(
        "Diario de {town} | El Norte de {town} | La Voz de {town} | El Correo de {town} | Heraldo de {town}"
    ),
    first_names=_split("Marta | Ramón | Inmaculada | Antonio | Carmen | Ignacio | Rocío | Andrés | Javier"),
    last_names=_split("Iriarte | Etxeberria | Rojo | Lucena | Oyarzábal | Prada | Márquez | Salcedo"),
    orgs=_split(
        "el Ayuntamiento | la consejería | la cofradía | el sindicato | la Diputación | la Guardia Civil "
        "| los bomberos | la asociación de vecinos | la universidad"
    ),
    things=_split(
        "puerto | hospital | polideportivo | mercado | puente | colegio | biblioteca | estación | paseo "
        "marítimo | centro de salud | casco antiguo | depuradora"
    ),
    days=_split("lunes | martes | miércoles | jueves | viernes | sábado | domingo"),
    months=_split(
        "enero | febrero | marzo | abril | mayo | junio | julio | agosto | septiembre | octubre | "
        "noviembre | diciembre"
    ),
    said=_split("explicó {first} {last} | aseguró {first} {last} | según {first} {last}"),
    wire=_split("(EFE) | (Europa Press) | EFE"),
    titles=(
        "{Org} aprueba un plan de {num} millones para el {thing} de {town}",
        "El {thing} de {town} cerrará {num2} semanas por obras",
        "Los vecinos de {town} protestan contra el nuevo {thing}",
        "{Org} aplaza hasta {month} la decisión sobre el {thing}",
        "Un incendio en el {thing} obliga a desalojar a {num3} personas en {town}",
        "El {thing} de {town} reabre tras {num2} meses de reparaciones",
    ),
    sentences=(
        "Las obras del {thing} de {town} costarán unos {num} millones de euros y durarán {num2} meses.",
        "Según {org}, unas {num3} personas utilizan el {thing} cada día.",
        "{first} {last}, que vive en {town} desde hace {num2} años, se mostró sorprendida por la decisión.",
        "La decisión definitiva se tomará en la reunión del próximo {day}.",
        "El {thing} se reformó por última vez en {year}, cuando ya se consideraba pequeño.",
        "Los críticos reprochan a {org} que no haya explicado de dónde saldrá el dinero.",
        "Un portavoz aseguró que la seguridad de los vecinos es lo primero.",
        "El {day} más de {num3} vecinos firmaron una petición contra el proyecto.",
        "El proyecto se anunció en {year} y desde entonces se ha retrasado dos veces.",
        "Se esperan problemas de tráfico en torno al {thing} hasta finales de {month}.",
        "Los comerciantes aseguran que han perdido clientes desde que empezaron las obras.",
        "El Ayuntamiento publicará un informe completo antes de que termine {month}.",
        "Los técnicos detectaron grietas en la estructura durante una inspección en {month}.",
        "Varios concejales preguntaron por qué se había dejado fuera al municipio vecino de {town2}.",
        "La factura media de un hogar subirá unos {num} euros al año.",
        "La oposición votó en contra del plan y lo calificó de precipitado y caro.",
        "Los planos se expondrán al público en el centro cívico de {town}.",
        "No todos los vecinos están de acuerdo con la medida.",
    ),
    quotes=(
        "Llevamos mucho tiempo esperando esto",
        "No estamos en contra del proyecto, pero queremos que se nos escuche",
        "La seguridad es lo primero y no vamos a escatimar",
        "Es la mayor inversión que ha visto el pueblo en una generación",
        "Cada invierno contenemos la respiración",
    ),
    byline="Por {first} {last}",
    photo="Foto: {first} {last} / EFE",
    advert="Publicidad",
    read_more="Lee también: {related}",
    trailers=(
        (
            "Compartir en Facebook",
            "Compartir en Twitter",
            "Compartir en WhatsApp",
        ),
        (
            "Te puede interesar:",
            "{related}",
        ),
        (
            "Deja una respuesta",
            "Tu dirección de correo electrónico no será publicada. "
            "Los campos obligatorios están marcados con *",
            "Comentario *",
            "Nombre *",
            "Correo electrónico *",
            "Web",
            "Publicar el comentario",
        ),
        (
            "Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa "
            "navegando, consideramos que acepta su uso.",
            "Aceptar Más información",
        ),
        ("Suscríbete a nuestro boletín y recibe cada mañana las noticias de tu comarca.",),
        ("© {year} {site}. Todos los derechos reservados.",),
    ),
    update="Fe de errores: una versión anterior de esta noticia daba una cifra equivocada; son {num3}.",
    long_date="{d} de {month} de {y}",
)

LANGUAGES = (EN, DE, ES)
# How a site writes its first lines: {date}, {title}, {site}, {time}.
HEADERS = (
    "{date} | {title} | {site}",
    "{title} – {site} – {date}",
    "{title} - {site} - {date}",
    "{title} | {site}\n{date}, {time}",
)


@dataclass(frozen=True)
class Site:
    name: str
    town: str
    language: Language
    header: str
    long_date: bool


def make_sites(count: int = 50) -> list[Site]:
    """``count`` fictional sites, languages in turn, each with its own header and date style."""
    sites = []
    for i in range(count):
        lang = LANGUAGES[i % len(LANGUAGES)]
        town = lang.towns[(i // len(LANGUAGES)) % len(lang.towns)]
        masthead = lang.mastheads[i % len(lang.mastheads)]
        header = HEADERS[(i // len(LANGUAGES) + i % len(LANGUAGES)) % len(HEADERS)]
        sites.append(Site(masthead.format(town=town), town, lang, header, long_date=i % 2 == 0))
    return sites


# --- Documents --------------------------------------------------------------------------------


def _slots(rng: Random, lang: Language, site: Site) -> dict[str, str]:
    """Fresh values for every template slot."""
    org = rng.choice(lang.orgs)
    return {
        "town": site.town if rng.random() < 0.6 else rng.choice(lang.towns),
        "town2": rng.choice(lang.towns),
        "org": org,
        "Org": org[0].upper() + org[1:],
        "thing": rng.choice(lang.things),
        "first": rng.choice(lang.first_names),
        "last": rng.choice(lang.last_names),
        "first2": rng.choice(lang.first_names),
        "last2": rng.choice(lang.last_names),
        "day": rng.choice(lang.days),
        "month": rng.choice(lang.months),
        "num": str(rng.randint(2, 480)),
        "num2": str(rng.randint(2, 40)),
        "num3": f"{rng.randint(120, 98000):,}" if lang is EN else str(rng.randint(120, 98000)),
        "year": str(rng.randint(1961, 2022)),
        "site": site.name,
    }


def _fill(rng: Random, template: str, lang: Language, site: Site) -> str:
    return template.format(**_slots(rng, lang, site))


def _date(rng: Random, site: Site) -> tuple[str, str]:
    """(date as the site writes it, HH:MM)."""
    day = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(6 * 365))
    lang = site.language
    if site.long_date:
        text = lang.long_date.format(d=day.day, month=lang.months[day.month - 1], y=day.year)
    elif lang is DE:
        text = day.strftime("%d.%m.%Y")
    else:
        text = day.strftime("%d/%m/%Y")
    return text, f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}"


def _quote(rng: Random, lang: Language, site: Site) -> str:
    quote, said = rng.choice(lang.quotes), _fill(rng, rng.choice(lang.said), lang, site)
    opening, closing = {"en": ("“", "”"), "de": ("„", "“"), "es": ("«", "»")}[lang.code]
    return f"{opening}{quote}{closing}, {said}."


def _body(rng: Random, lang: Language, site: Site, words: int) -> list[str]:
    """Paragraphs of 2-4 sentences, with inline clutter, until ``words`` words are written."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = [
            _quote(rng, lang, site)
            if rng.random() < 0.12
            else _fill(rng, rng.choice(lang.sentences), lang, site)
            for _ in range(rng.randint(2, 4))
        ]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
        roll = rng.random()
        if roll < 0.06:
            paragraphs.append(_fill(rng, lang.photo, lang, site))
        elif roll < 0.10:
            paragraphs.append(lang.advert)
        elif roll < 0.14:
            related = _fill(rng, rng.choice(lang.titles), lang, site)
            paragraphs.append(lang.read_more.format(related=related))
    return paragraphs


def _trailer(rng: Random, lang: Language, site: Site) -> list[str]:
    """0-3 boilerplate blocks (none for about a third of documents)."""
    if rng.random() < 0.35:
        return []
    blocks = rng.sample(lang.trailers, rng.randint(1, min(3, len(lang.trailers))))
    slots = _slots(rng, lang, site)
    related = _fill(rng, rng.choice(lang.titles), lang, site)
    return ["\n".join(line.format(**slots, related=related) for line in block) for block in blocks]


def make_document(rng: Random, site: Site) -> str:
    """One dump: header, optional byline, body of 150-600 words, optional wire line and trailer."""
    lang = site.language
    date, clock = _date(rng, site)
    title = _fill(rng, rng.choice(lang.titles), lang, site)
    parts = [site.header.format(date=date, title=title, site=site.name, time=clock)]
    if rng.random() < 0.6:
        parts.append(_fill(rng, lang.byline, lang, site))
    parts.extend(_body(rng, lang, site, rng.randint(150, 560)))  # the last paragraph overshoots
    if rng.random() < 0.3:
        parts.append(_fill(rng, rng.choice(lang.wire), lang, site))
    parts.extend(_trailer(rng, lang, site))
    return "\n\n".join(parts) + "\n"


def near_duplicate(rng: Random, text: str, site: Site) -> str:
    """A republication of ``text``: one sentence added to a body paragraph, and for about half
    a correction note too (which the packs remove, so the note alone would be an exact copy)."""
    lang = site.language
    paragraphs = text.rstrip("\n").split("\n\n")
    body = [i for i, p in enumerate(paragraphs) if i > 0 and len(p) > 150 and "\n" not in p]
    where = rng.choice(body) if body else len(paragraphs) - 1
    paragraphs[where] += " " + _fill(rng, rng.choice(lang.sentences), lang, site)
    if rng.random() < 0.5:
        correction = lang.update.format(day=rng.choice(lang.days), num3=rng.randint(120, 98000))
        paragraphs.insert(max(2, len(paragraphs) - rng.randint(0, 2)), correction)
    return "\n\n".join(paragraphs) + "\n"


def documents(seed: int) -> Iterator[tuple[str, bool]]:
    """An endless stream of distinct documents, (text, is_near_duplicate); ~1 % near-duplicates."""
    rng = Random(seed)
    sites = make_sites()
    seen: set[bytes] = set()  # 16-byte digests, not texts
    recent: deque[tuple[str, Site]] = deque(maxlen=64)  # what a near-duplicate may copy
    while True:
        copy = bool(recent) and rng.random() < NEAR_DUPLICATE_SHARE
        if copy:
            original, site = rng.choice(recent)
            text = near_duplicate(rng, original, site)
        else:
            site = rng.choice(sites)
            text = make_document(rng, site)
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        if digest in seen:
            continue
        seen.add(digest)
        if not copy:
            recent.append((text, site))
        yield text, copy


@dataclass
class Corpus:
    folder: Path
    files: int = 0
    bytes: int = 0
    words: int = 0
    near_duplicates: int = 0


def write_corpus(folder: Path, size: int, seed: int) -> Corpus:
    """Write ``size`` dumps under ``folder``, 1,000 per sub-folder, one document in memory at a time."""
    corpus = Corpus(folder)
    stream = documents(seed)
    for i in range(size):
        text, copy = next(stream)
        sub = folder / f"part{i // FILES_PER_FOLDER:04d}"
        if i % FILES_PER_FOLDER == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (sub / f"doc{i:07d}.txt").write_bytes(data)
        corpus.files += 1
        corpus.bytes += len(data)
        corpus.words += len(text.split())
        corpus.near_duplicates += copy
    return corpus


# --- Measuring --------------------------------------------------------------------------------


def _parents() -> dict[int, list[int]]:
    """Every process's children, from /proc/*/stat (no psutil needed)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stream:  # noqa: PTH123 - hot loop
                stat = stream.read()
        except OSError:
            continue  # gone since the scan
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def descendants(pid: int) -> list[int]:
    children = _parents()
    found, todo = [], list(children.get(pid, ()))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child, ()))
    return found


def _field_kib(path: str, name: bytes) -> int:
    """A ``Name:   123 kB`` field of a /proc file, in KiB (0 when the process is gone)."""
    try:
        with open(path, "rb") as stream:  # noqa: PTH123 - hot loop
            for line in stream:
                if line.startswith(name):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_memory(pid: int) -> tuple[int, int, int]:
    """(sum of RSS, sum of PSS, process count) of ``pid``'s descendants, in bytes."""
    pids = descendants(pid)
    rss = sum(_field_kib(f"/proc/{p}/status", b"VmRSS:") for p in pids)
    pss = sum(_field_kib(f"/proc/{p}/smaps_rollup", b"Pss:") for p in pids)
    return rss * 1024, pss * 1024, len(pids)


@dataclass
class Measure:
    size: int
    wall: float = 0.0
    exit_code: int = 0
    peak_rss: int = 0
    peak_pss: int = 0
    max_rss: int = 0  # largest single process, from getrusage
    processes: int = 0
    timeline: list[tuple[float, int]] = field(default_factory=list)
    records: int = 0
    errors: int = 0
    distinct: int = 0
    error_types: Counter[str] = field(default_factory=Counter)
    summary: list[str] = field(default_factory=list)  # the CLI's own summary lines

    @property
    def peak(self) -> int:
        """The tree's peak: at least the sampled sum, and at least its largest process's exact max
        (a spike shorter than the sampling interval is missed by the first, never by the second)."""
        return max(self.peak_rss, self.max_rss)

    @property
    def late(self) -> int:
        """The tree's sampled peak over the second half of the run: past the start-up spike, where
        growth with the number of inputs would show."""
        end = self.timeline[-1][0] if self.timeline else 0.0
        return max((rss for t, rss in self.timeline if t >= end / 2), default=0)

    @property
    def rate(self) -> float:
        return self.size / self.wall if self.wall else 0.0

    @property
    def one_line_each(self) -> bool:
        """Every input has exactly one line across OUT and the error report."""
        return self.records + self.errors == self.size and self.distinct == self.size


def run_cli(folder: Path, output: Path, jobs: int, log: IO[bytes], size: int) -> Measure:
    """Run the CLI in a wrapper process, sampling the tree's memory until it ends."""
    cli = [sys.executable, "-m", "newsclean", "clean", str(folder), "-o", str(output), "--fresh"]
    cli += ["-j", str(jobs)]
    measure = Measure(size)
    start = time.perf_counter()
    with subprocess.Popen([sys.executable, "-c", WRAPPER, *cli], stdout=subprocess.PIPE, stderr=log) as proc:
        while proc.poll() is None:
            rss, pss, count = tree_memory(proc.pid)
            measure.timeline.append((time.perf_counter() - start, rss))
            measure.peak_rss = max(measure.peak_rss, rss)
            measure.peak_pss = max(measure.peak_pss, pss)
            measure.processes = max(measure.processes, count)
            time.sleep(SAMPLE_SECONDS)
        assert proc.stdout is not None
        said = proc.stdout.read().decode().strip().splitlines()
    report: dict[str, Any] = json.loads(said[-1]) if said else {"rc": -1, "wall": 0.0, "maxrss_kib": 0}
    measure.wall = float(report["wall"])
    measure.exit_code = int(report["rc"])
    measure.max_rss = int(report["maxrss_kib"]) * 1024
    return measure


def count_lines(measure: Measure, output: Path, errors: Path) -> None:
    """Records, errors and distinct input locations across OUT and its error report."""
    locations: set[str] = set()
    for path, is_error in ((output, False), (errors, True)):
        if not path.exists():
            continue
        with path.open("rb") as stream:
            for line in stream:
                item = json.loads(line)
                locations.add(item["origin"]["location"])
                if is_error:
                    measure.errors += 1
                    measure.error_types[item.get("error_type", "?")] += 1
                else:
                    measure.records += 1
    measure.distinct = len(locations)


def errors_beside(output: Path) -> Path:
    """``out.jsonl`` -> ``out.errors.jsonl``, where the CLI writes its error report."""
    return output.with_name(output.name.removesuffix(".jsonl") + ".errors.jsonl")


# --- Report -----------------------------------------------------------------------------------


def mib(value: int) -> str:
    return f"{value / MIB:7.1f}"


def rss_at(timeline: list[tuple[float, int]], share: float) -> int:
    """The tree RSS sampled at ``share`` of the run (0.25 = a quarter of the way)."""
    if not timeline:
        return 0
    end = timeline[-1][0]
    return next((rss for t, rss in timeline if t >= share * end), timeline[-1][1])


def print_measure(m: Measure) -> None:
    print(
        f"{m.size:,} inputs: {m.wall:.1f} s, {m.rate:.1f} docs/s; {m.records:,} records, {m.errors:,} errors"
        f" (exit {m.exit_code})"
    )
    print(
        f"  peak RSS {mib(m.peak).strip()} MiB = max(tree sampled {mib(m.peak_rss).strip()},"
        f" largest process {mib(m.max_rss).strip()}); tree PSS {mib(m.peak_pss).strip()} MiB;"
        f" up to {m.processes} processes"
    )
    curve = " / ".join(mib(rss_at(m.timeline, s)).strip() for s in (0.1, 0.25, 0.5, 0.75, 0.9))
    print(
        f"  tree RSS at 10/25/50/75/90 % of the run: {curve} MiB; second half peak {mib(m.late).strip()} MiB"
    )
    verdict = "OK" if m.one_line_each else "MISMATCH"
    print(
        f"  one line per input: {verdict} ({m.records:,} + {m.errors:,} lines,"
        f" {m.distinct:,} distinct inputs, {m.size:,} given)"
    )
    if m.error_types:
        print(f"  error types: {dict(m.error_types.most_common(5))}")
    for line in m.summary:
        print(f"  cli: {line}")
    print(flush=True)


def print_table(measures: list[Measure]) -> None:
    """One row per size; memory in MiB (peak = max of the sampled tree and the largest process)."""
    print("  inputs   wall s   docs/s  tree RSS  largest  peak RSS  2nd half   records  errors  lines ok")
    for m in measures:
        print(
            f"{m.size:>8,} {m.wall:8.1f} {m.rate:8.1f}   {mib(m.peak_rss)}  {mib(m.max_rss)}   {mib(m.peak)}"
            f"   {mib(m.late)} {m.records:>9,} {m.errors:>7,}  {'yes' if m.one_line_each else 'NO'}"
        )


def print_verdict(measures: list[Measure]) -> None:
    small, large = measures[0], measures[-1]
    if len(measures) < 2 or not small.peak:
        return
    ratio = large.peak / small.peak
    tree = large.peak_rss / small.peak_rss if small.peak_rss else 0.0
    largest = large.max_rss / small.max_rss if small.max_rss else 0.0
    late = large.late / small.late if small.late else 0.0
    verdict = "PASS (within 10%)" if ratio <= 1 + TOLERANCE else "FAIL"
    print(
        f"\npeak RSS at {large.size:,} / {small.size:,} inputs: x{ratio:.3f}  -> {verdict}"
        f"\n(tree sampled alone: x{tree:.3f}; largest single process: x{largest:.3f})"
        f"\nsecond half of the run, past start-up: x{late:.3f}"
        f" ({mib(small.late).strip()} -> {mib(large.late).strip()} MiB)"
    )


# --- Main -------------------------------------------------------------------------------------


def bench_size(tmp: Path, size: int, args: argparse.Namespace) -> Measure:
    start = time.perf_counter()
    corpus = write_corpus(tmp / f"n{size}", size, args.seed)
    print(
        f"\ncorpus {size:,}: {corpus.bytes / corpus.files:.0f} bytes and {corpus.words / corpus.files:.0f}"
        f" words per dump, {corpus.near_duplicates} near-duplicates, {corpus.bytes / MIB:.1f} MiB,"
        f" written in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    out_dir = tmp / f"n{size}.out"
    out_dir.mkdir()  # the CLI needs -o's folder to exist
    output = out_dir / "out.jsonl"
    with (out_dir / "stderr.log").open("wb") as log:
        measure = run_cli(corpus.folder, output, args.jobs, log, size)
    count_lines(measure, output, errors_beside(output))
    stderr = (out_dir / "stderr.log").read_text("utf-8", "replace")
    measure.summary = [line for line in stderr.splitlines() if line.startswith(SUMMARY_STARTS)]
    if measure.exit_code not in (0, 1):  # 1 only means some inputs are in the error report
        print(stderr[-2000:], file=sys.stderr)
    print_measure(measure)
    if not args.keep:
        shutil.rmtree(corpus.folder)
    return measure


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sizes", default="1000,100000", help="comma-separated input counts")
    parser.add_argument("--quick", action="store_true", help="sizes 1000,10000")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (-j of the CLI)")
    parser.add_argument("--keep", action="store_true", help="keep the generated tree and outputs")
    parser.add_argument("--seed", type=int, default=20240405)
    args = parser.parse_args(argv)
    args.sizes = [1000, 10000] if args.quick else sorted(int(s) for s in args.sizes.split(","))
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if importlib.util.find_spec("newsclean") is None:
        sys.exit(f"newsclean is not importable by {sys.executable}; run this with the project's .venv")
    if not Path("/proc/self/status").exists():
        sys.exit("this benchmark reads /proc: Linux only")
    tmp = Path(tempfile.mkdtemp(prefix="newsclean-bench-memory-"))
    print(f"sizes {args.sizes}, -j {args.jobs}, {os.cpu_count()} cores, tree under {tmp}", flush=True)
    try:
        measures = [bench_size(tmp, size, args) for size in args.sizes]
        print_table(measures)
        print_verdict(measures)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
