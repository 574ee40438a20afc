#!/usr/bin/env python3
"""Generate the mfr-fhir conformance package (a FHIR NPM package) into packaging/fhir/package.

Run by hand when the profiles change; the output is committed and the build never runs this.
It reads the official FHIR R4 definitions only here, at generation time, to build each
profile's snapshot from the base resource's snapshot plus our differential:

    python3 packaging/fhir/generate.py [--r4 /work/shared/fhir-r4] [--out packaging/fhir/package]

Python 3 standard library only.
"""
import argparse
import copy
import html
import json
import os
import sys

BASE = "https://mfr-fhir.org/fhir"
VERSION = "0.1.0"
FHIR_VERSION = "4.0.1"
DATE = "2026-11-25"  # fixed, so that regenerating unchanged content gives identical files
PUBLISHER = "mfr-fhir"
PACKAGE_NAME = "org.mfr-fhir.skinrolling"

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
CPT = "http://www.ama-assn.org/go/cpt"
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
CORE_SD = "http://hl7.org/fhir/StructureDefinition/"


def url_of(resource_type, rid):
    return f"{BASE}/{resource_type}/{rid}"


MFR_CS = url_of("CodeSystem", "mfr")
GRADE_CS = url_of("CodeSystem", "restriction-grade")
RELEASE_CS = url_of("CodeSystem", "release-response")
PROCEDURE_PROFILE = url_of("StructureDefinition", "mfr-skin-rolling-procedure")
FINDING_PROFILE = url_of("StructureDefinition", "mfr-skin-rolling-finding")
LATERALITY_EXT = url_of("StructureDefinition", "laterality")
# Written by fhir/codec (procedure_codec.hpp kCourseExtension, observation_codec.cpp kSourceSpanExtension).
COURSE_EXT = url_of("StructureDefinition", "course")
SOURCE_SPAN_EXT = url_of("StructureDefinition", "source-span")

# ---------------------------------------------------------------------------------------------
# Terminology content (DOMAIN.md §2 and fhir/terminology/codes.{hpp,cpp}).

MFR_CONCEPTS = [
    ("skin-rolling", "Myofascial release by skin rolling",
     "Manual myofascial release in which the practitioner lifts a fold of skin and subcutaneous "
     "tissue and rolls it along the back, level by level, to assess and release the superficial fascia."),
    ("restriction", "Superficial fascia restriction on skin rolling",
     "The resistance, thickening or adherence of the superficial fascia felt while rolling the skin "
     "at one site and side, graded with CodeSystem restriction-grade."),
    ("tender", "Tender to palpation",
     "Whether the patient reported tenderness when the site was rolled or palpated."),
    ("released", "Response to kneading",
     "How the restriction at the site responded to gentle kneading, coded with CodeSystem release-response."),
    ("legacy-note-import", "Read from a legacy treatment note",
     "Provenance.activity of a session whose findings the mfr-fhir notes reader recognised in a "
     "plain-text or CSV treatment note written before the clinic exchanged FHIR; the note itself is "
     "the Provenance's source entity (a DocumentReference)."),
]

GRADE_CONCEPTS = [
    ("0", "none", "No restriction felt: the skin fold rolls freely.", 0),
    ("1", "mild", "Mild restriction: slight resistance or thickening of the skin fold.", 1),
    ("2", "moderate", "Moderate restriction: clear resistance, the fold is thick and rolls with effort.", 2),
    ("3", "marked", "Marked restriction: dense, adherent tissue; the fold barely lifts or rolls.", 3),
]

RELEASE_CONCEPTS = [
    ("released", "Released", "The restriction released fully with kneading."),
    ("partial", "Partially released", "The restriction eased but did not release fully with kneading."),
    ("not-released", "Not released", "The restriction did not change with kneading."),
]

LATERALITY_CODES = [("7771000", "Left"), ("24028007", "Right")]

# SNOMED CT vertebrae (DICOM CID 7603) and regions; no displays: the SNOMED CT release decides them.
VERTEBRA_CODES = [
    ("14806007", "C1"), ("39976000", "C2"), ("113205007", "C3"), ("5329002", "C4"),
    ("36978003", "C5"), ("36054005", "C6"), ("87391001", "C7"),
    ("64864005", "T1"), ("53733008", "T2"), ("1626008", "T3"), ("73071006", "T4"),
    ("56401006", "T5"), ("45296009", "T6"), ("62487009", "T7"), ("11068009", "T8"),
    ("82687006", "T9"), ("7610001", "T10"), ("12989004", "T11"), ("23215003", "T12"),
    ("66794005", "L1"), ("14293000", "L2"), ("36470004", "L3"), ("11994002", "L4"),
    ("49668003", "L5"), ("54735007", "sacrum"),
]
REGION_CODES = [
    ("421060004", "spine"), ("122494005", "cervical spine"), ("122495006", "thoracic spine"),
    ("122496007", "lumbar spine"), ("31764008", "trapezius muscle (upper trapezius)"),
    ("113197003", "rib"), ("78904004", "chest wall"), ("3865001", "interscapular region"),
    ("7874003", "scapular region"), ("66643007", "skin of back"), ("52612000", "lumbar region"),
    ("45048000", "neck"), ("16982005", "shoulder"),
]

PAIN_NRS = (LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
PAIN_VAS = (LOINC, "38214-3", "Pain severity [Score] Visual analog score")


def coding(system, code, display=None):
    c = {"system": system, "code": code}
    if display:
        c["display"] = display
    return c


def concept(system, code, display=None):
    return {"coding": [coding(system, code, display)]}


# ---------------------------------------------------------------------------------------------
# Narrative.

def xhtml(parts):
    return {"status": "generated",
            "div": '<div xmlns="http://www.w3.org/1999/xhtml">' + "".join(parts) + "</div>"}


def esc(text):
    return html.escape(str(text), quote=False)


def table(header, rows):
    out = ["<table><tr>"] + [f"<th>{esc(h)}</th>" for h in header] + ["</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    out.append("</table>")
    return "".join(out)


def metadata(resource_type, rid, name, title, description):
    return {
        "resourceType": resource_type,
        "id": rid,
        "text": None,  # filled in last, from the content
        "url": url_of(resource_type, rid),
        "version": VERSION,
        "name": name,
        "title": title,
        "status": "draft",
        "experimental": False,
        "date": DATE,
        "publisher": PUBLISHER,
        "description": description,
    }


# ---------------------------------------------------------------------------------------------
# CodeSystems and ValueSets.

def code_system(rid, name, title, description, concepts, properties=None):
    cs = metadata("CodeSystem", rid, name, title, description)
    cs["caseSensitive"] = True
    cs["valueSet"] = url_of("ValueSet", rid)
    cs["content"] = "complete"
    cs["count"] = len(concepts)
    if properties:
        cs["property"] = properties
    cs["concept"] = concepts
    rows = [(c["code"], c["display"], c["definition"]) for c in concepts]
    cs["text"] = xhtml([f"<p>{esc(title)}: {esc(description)}</p>",
                        table(["Code", "Display", "Definition"], rows)])
    return cs


def code_systems():
    mfr = code_system(
        "mfr", "MfrCodes", "mfr-fhir codes",
        "Codes mfr-fhir defines for myofascial release by skin rolling where SNOMED CT and LOINC "
        "have no concept: the procedure, the finding and its components.",
        [{"code": c, "display": d, "definition": f} for c, d, f in MFR_CONCEPTS])
    grade = code_system(
        "restriction-grade", "RestrictionGrade", "Skin rolling restriction grade",
        "Ordinal grade (0-3) of the superficial fascia restriction felt on skin rolling. The property "
        "itemWeight carries the same number that Observations repeat in the ordinalValue extension.",
        [{"code": c, "display": d, "definition": f,
          "property": [{"code": "itemWeight", "valueDecimal": w}]} for c, d, f, w in GRADE_CONCEPTS],
        [{"code": "itemWeight", "uri": "http://hl7.org/fhir/concept-properties#itemWeight",
          "description": "Ordinal value of the grade (0 none to 3 marked), for comparison and charts.",
          "type": "decimal"}])
    release = code_system(
        "release-response", "ReleaseResponse", "Response of a restriction to kneading",
        "How a superficial fascia restriction responded to gentle kneading during the session.",
        [{"code": c, "display": d, "definition": f} for c, d, f in RELEASE_CONCEPTS])
    return [mfr, grade, release]


def value_set(rid, name, title, description, includes):
    vs = metadata("ValueSet", rid, name, title, description)
    vs["immutable"] = False
    vs["compose"] = {"include": includes}
    rows = []
    for inc in includes:
        if "concept" in inc:
            rows += [(inc["system"], c["code"], c.get("display", "")) for c in inc["concept"]]
        else:
            rows.append((inc["system"], "(all codes)", ""))
    vs["text"] = xhtml([f"<p>{esc(title)}: {esc(description)}</p>",
                        table(["System", "Code", "Display"], rows)])
    return vs


def value_sets():
    out = [
        value_set("mfr", "MfrCodes", "All mfr-fhir codes",
                  "Every code of CodeSystem mfr.", [{"system": MFR_CS}]),
        value_set("restriction-grade", "RestrictionGrade", "Skin rolling restriction grade",
                  "The four restriction grades, 0 none to 3 marked.", [{"system": GRADE_CS}]),
        value_set("release-response", "ReleaseResponse", "Response of a restriction to kneading",
                  "Released, partially released or not released.", [{"system": RELEASE_CS}]),
        value_set("laterality", "Laterality", "Side of the spine",
                  "SNOMED CT left and right, for the side of a finding; midline findings carry no laterality.",
                  [{"system": SNOMED,
                    "concept": [{"code": c, "display": d} for c, d in LATERALITY_CODES]}]),
    ]
    body = [{"code": c} for c, _ in VERTEBRA_CODES]
    seen = {c for c, _ in VERTEBRA_CODES}
    body += [{"code": c} for c, _ in REGION_CODES if c not in seen]
    vs = value_set("body-site", "SkinRollingBodySite", "Sites treated by skin rolling",
                   "SNOMED CT vertebrae C1-L5 and the sacrum (DICOM CID 7603) and the regions of the "
                   "back, neck and chest wall that skin rolling treats.",
                   [{"system": SNOMED, "concept": body}])
    names = dict(VERTEBRA_CODES + REGION_CODES)
    vs["text"] = xhtml([f"<p>{esc(vs['title'])}: {esc(vs['description'])}</p>",
                        table(["System", "Code", "Meaning"],
                              [(SNOMED, c["code"], names[c["code"]]) for c in body])])
    out.append(vs)
    return out


# ---------------------------------------------------------------------------------------------
# Snapshot generation: base snapshot + differential.

class SnapshotError(Exception):
    pass


def split_id(element_id):
    """'Observation.component:pain.code' -> [('Observation', None), ('component', 'pain'), ('code', None)]."""
    segments = []
    for part in element_id.split("."):
        name, _, slice_name = part.partition(":")
        segments.append((name, slice_name or None))
    return segments


def join_id(segments):
    return ".".join(n + (":" + s if s else "") for n, s in segments)


def path_of(element_id):
    return ".".join(n for n, _ in split_id(element_id))


def max_value(m):
    return float("inf") if m == "*" else int(m)


class SnapshotBuilder:
    def __init__(self, base_sd, types, profile_url):
        self.elements = copy.deepcopy(base_sd["snapshot"]["element"])
        # The base's standards status (e.g. Extension is normative) is not our profile's status.
        self.elements[0].pop("extension", None)
        # What each element looked like before the differential touched it: slices start from it.
        self.pristine = {e["id"]: copy.deepcopy(e) for e in self.elements}
        self.types = types
        self.profile_url = profile_url
        self.used_types = set()

    def index(self, element_id):
        for i, e in enumerate(self.elements):
            if e["id"] == element_id:
                return i
        return None

    def subtree_end(self, i, include_slices):
        """Index after element i and its descendants (and its slices, if asked)."""
        root = self.elements[i]["id"]
        j = i + 1
        while j < len(self.elements):
            eid = self.elements[j]["id"]
            if eid.startswith(root + ".") or (include_slices and eid.startswith(root + ":")):
                j += 1
            else:
                break
        return j

    def find_or_create(self, element_id):
        i = self.index(element_id)
        if i is not None:
            return i
        segments = split_id(element_id)
        if len(segments) < 2:
            raise SnapshotError(f"differential element {element_id} is not in the base snapshot")
        name, slice_name = segments[-1]
        if slice_name:
            return self.create_slice(join_id(segments[:-1] + [(name, None)]), slice_name)
        parent_i = self.find_or_create(join_id(segments[:-1]))
        parent = self.elements[parent_i]
        end = self.subtree_end(parent_i, include_slices=False)
        if end > parent_i + 1:
            raise SnapshotError(f"differential element {element_id}: {parent['id']} has no child {name}")
        self.expand_type(parent_i)
        i = self.index(element_id)
        if i is None:
            raise SnapshotError(f"differential element {element_id}: the type of {parent['id']} has no child {name}")
        return i

    def expand_type(self, parent_i):
        """Insert the children of the parent's (single) data type, as the snapshot needs them."""
        parent = self.elements[parent_i]
        codes = [t["code"] for t in parent.get("type", [])]
        if len(codes) != 1:
            raise SnapshotError(f"cannot walk into {parent['id']}: it needs exactly one type, has {codes}")
        type_sd = self.types.get(codes[0])
        if type_sd is None:
            raise SnapshotError(f"cannot walk into {parent['id']}: no definition of type {codes[0]}")
        self.used_types.add(codes[0])
        children = []
        for e in type_sd["snapshot"]["element"][1:]:
            child = copy.deepcopy(e)
            child["id"] = parent["id"] + e["id"][len(codes[0]):]
            child["path"] = parent["path"] + e["path"][len(codes[0]):]
            children.append(child)
            self.pristine[child["id"]] = copy.deepcopy(child)
        self.elements[parent_i + 1:parent_i + 1] = children

    def create_slice(self, sliced_id, slice_name):
        sliced_i = self.find_or_create(sliced_id)
        if "slicing" not in self.elements[sliced_i]:
            raise SnapshotError(f"slice {sliced_id}:{slice_name} of an element that is not sliced")
        # The slice and its children start as copies of the unconstrained element and its children.
        body_end = self.subtree_end(sliced_i, include_slices=False)
        block = []
        for e in self.elements[sliced_i:body_end]:
            if ":" in e["id"][len(sliced_id):]:
                continue  # a nested slice belongs to the unsliced element only
            src = copy.deepcopy(self.pristine.get(e["id"], e))
            src["id"] = sliced_id + ":" + slice_name + e["id"][len(sliced_id):]
            self.pristine[src["id"]] = copy.deepcopy(src)
            block.append(src)
        block[0].pop("slicing", None)
        block[0]["sliceName"] = slice_name
        insert_at = self.subtree_end(sliced_i, include_slices=True)
        self.elements[insert_at:insert_at] = block
        return insert_at

    def apply(self, diff):
        i = self.find_or_create(diff["id"])
        target = self.elements[i]
        if diff["path"] != target["path"] or path_of(diff["id"]) != diff["path"]:
            raise SnapshotError(f"differential element {diff['id']} has path {diff['path']}, "
                                f"snapshot has {target['path']}")
        for key, value in diff.items():
            if key in ("id", "path"):
                continue
            if key == "min" and value < target["min"]:
                raise SnapshotError(f"{diff['id']}: min {value} loosens the base min {target['min']}")
            if key == "max" and max_value(value) > max_value(target["max"]):
                raise SnapshotError(f"{diff['id']}: max {value} loosens the base max {target['max']}")
            if key == "type":
                allowed = {t["code"] for t in target.get("type", [])}
                for t in value:
                    if t["code"] not in allowed:
                        raise SnapshotError(f"{diff['id']}: type {t['code']} is not one of {sorted(allowed)}")
            if key == "sliceName" and target.get("sliceName") != value:
                raise SnapshotError(f"{diff['id']}: slice name {value} does not match its id")
            if key == "constraint":
                keys = {c["key"] for c in target.get("constraint", [])}
                for c in value:
                    if c["key"] in keys:
                        raise SnapshotError(f"{diff['id']}: constraint {c['key']} already exists")
                target.setdefault("constraint", []).extend(copy.deepcopy(value))
                continue
            target[key] = copy.deepcopy(value)
        min_, max_ = target["min"], max_value(target["max"])
        if min_ > max_:
            raise SnapshotError(f"{diff['id']}: min {min_} is greater than max {target['max']}")

    def build(self, differential):
        for diff in differential:
            self.apply(diff)
        ids = [e["id"] for e in self.elements]
        if len(ids) != len(set(ids)):
            raise SnapshotError("snapshot has duplicate element ids")
        return self.elements


# ---------------------------------------------------------------------------------------------
# Profiles.

def el(element_id, **props):
    e = {"id": element_id, "path": path_of(element_id)}
    name, slice_name = split_id(element_id)[-1]
    if slice_name:
        e["sliceName"] = slice_name
    e.update(props)
    return e


def constraint(key, human, expression, source, severity="error"):
    return {"key": key, "severity": severity, "human": human, "expression": expression, "source": source}


def pattern_slicing(path, description, ordered=False, rules="open"):
    return {"discriminator": [{"type": "pattern", "path": path}], "description": description,
            "ordered": ordered, "rules": rules}


URL_SLICING = {"discriminator": [{"type": "value", "path": "url"}],
               "description": "Extensions are always sliced by (at least) url", "rules": "open"}


def ref(*targets):
    return [{"code": "Reference", "targetProfile": [CORE_SD + t for t in targets]}]


def procedure_differential():
    p = "Procedure"
    return [
        el(p, short="A myofascial release (skin rolling) session",
           definition="One treatment session of myofascial release by skin rolling: who was treated, "
                      "when, by whom and on which regions.",
           constraint=[
               constraint("mfr-proc-1", "Status is completed, in-progress, not-done or entered-in-error",
                          "status = 'completed' or status = 'in-progress' or status = 'not-done' "
                          "or status = 'entered-in-error'", PROCEDURE_PROFILE),
               constraint("mfr-proc-2", "A completed or in-progress session says when it was performed "
                                        "(as US Core us-core-7)",
                          "(status = 'completed' or status = 'in-progress') implies performed.exists()",
                          PROCEDURE_PROFILE),
               constraint("mfr-proc-3", "A completed session has a performed start",
                          "status = 'completed' implies (performed.exists() implies performed.start.exists())",
                          PROCEDURE_PROFILE),
           ]),
        el(f"{p}.extension", slicing=URL_SLICING),
        el(f"{p}.extension:course", min=0, max="1", type=[{"code": "Extension", "profile": [COURSE_EXT]}],
           short="Place of the session in its course", mustSupport=True),
        el(f"{p}.identifier", min=1, short="Business key: host's clinic system and session id",
           mustSupport=True),
        el(f"{p}.identifier.system", min=1, mustSupport=True),
        el(f"{p}.identifier.value", min=1, mustSupport=True),
        el(f"{p}.status", mustSupport=True),
        el(f"{p}.category", min=1, patternCodeableConcept=concept(SNOMED, "91251008"), mustSupport=True),
        el(f"{p}.code", mustSupport=True),
        el(f"{p}.code.coding", min=2, mustSupport=True,
           slicing=pattern_slicing("$this", "Our code and CPT manual therapy, by pattern")),
        el(f"{p}.code.coding:mfr", min=1, max="1", patternCoding=coding(MFR_CS, "skin-rolling"),
           mustSupport=True),
        el(f"{p}.code.coding:cpt", min=1, max="1", patternCoding=coding(CPT, "97140"), mustSupport=True),
        el(f"{p}.code.text", min=1, mustSupport=True),
        el(f"{p}.subject", type=ref("Patient"), mustSupport=True),
        el(f"{p}.encounter", mustSupport=True),
        el(f"{p}.performed[x]", type=[{"code": "Period"}], mustSupport=True,
           short="Session start and end"),
        el(f"{p}.performer", mustSupport=True),
        el(f"{p}.performer.actor", mustSupport=True),
        el(f"{p}.bodySite", short="Regions treated", mustSupport=True,
           binding={"strength": "extensible", "description": "SNOMED CT vertebrae and back regions",
                    "valueSet": url_of("ValueSet", "body-site")}),
        el(f"{p}.report", type=ref("DocumentReference"), short="Verbatim legacy note",
           mustSupport=True),
        el(f"{p}.followUp", mustSupport=True),
        el(f"{p}.note", mustSupport=True),
    ]


def component_slice(name, code, value_type, short, **value_props):
    base = f"Observation.component:{name}"
    return [
        el(base, min=0, max="1", short=short, mustSupport=True),
        el(f"{base}.code", patternCodeableConcept=concept(*code[:2])),
        el(f"{base}.value[x]", type=[{"code": value_type}], mustSupport=True, **value_props),
    ]


def finding_differential():
    o = "Observation"
    diff = [
        el(o, short="A skin rolling finding at one site and side",
           definition="The superficial fascia restriction felt at one vertebral level or region and "
                      "side, with the pain, tenderness and response to kneading reported there.",
           constraint=[
               constraint("mfr-obs-1", "Status is final, amended, corrected or entered-in-error",
                          "status = 'final' or status = 'amended' or status = 'corrected' "
                          "or status = 'entered-in-error'", FINDING_PROFILE),
               constraint("mfr-obs-2", "A finding without a restriction grade says why (dataAbsentReason)",
                          "value.exists() or dataAbsentReason.exists()", FINDING_PROFILE),
           ]),
        el(f"{o}.identifier", min=1, short="{session id}/{site code}/{side}", mustSupport=True),
        el(f"{o}.identifier.system", min=1, mustSupport=True),
        el(f"{o}.identifier.value", min=1, mustSupport=True),
        el(f"{o}.partOf", min=1, max="1", type=ref("Procedure"), short="The session", mustSupport=True),
        el(f"{o}.status", mustSupport=True),
        el(f"{o}.category", min=1, mustSupport=True,
           slicing=pattern_slicing("$this", "The exam category, by pattern")),
        el(f"{o}.category:exam", min=1, max="1", patternCodeableConcept=concept(OBS_CATEGORY, "exam"),
           mustSupport=True),
        el(f"{o}.code", mustSupport=True),
        el(f"{o}.code.coding", min=2, mustSupport=True,
           slicing=pattern_slicing("$this", "Our code and SNOMED CT finding by palpation, by pattern")),
        el(f"{o}.code.coding:mfr", min=1, max="1", patternCoding=coding(MFR_CS, "restriction"),
           mustSupport=True),
        el(f"{o}.code.coding:snomed", min=1, max="1", patternCoding=coding(SNOMED, "118242002"),
           mustSupport=True),
        el(f"{o}.subject", min=1, type=ref("Patient"), mustSupport=True),
        el(f"{o}.effective[x]", min=1, type=[{"code": "dateTime"}], short="Session start",
           mustSupport=True),
        el(f"{o}.performer", mustSupport=True),
        el(f"{o}.value[x]", type=[{"code": "CodeableConcept"}], short="Restriction grade 0-3",
           mustSupport=True,
           constraint=[constraint(
               "mfr-obs-6", "The ordinalValue of a grade coding is the grade",
               f"coding.where(system = '{GRADE_CS}').all(extension('{ORDINAL_VALUE}').value = code.toInteger())",
               FINDING_PROFILE)],
           binding={"strength": "required", "description": "Restriction grade",
                    "valueSet": url_of("ValueSet", "restriction-grade")}),
        el(f"{o}.value[x].coding", min=1, mustSupport=True),
        el(f"{o}.value[x].coding.extension", slicing=URL_SLICING),
        el(f"{o}.value[x].coding.extension:ordinalValue", min=1, max="1",
           type=[{"code": "Extension", "profile": [ORDINAL_VALUE]}],
           short="The grade as a number (0-3)", mustSupport=True),
        el(f"{o}.dataAbsentReason", short="Why no grade was recorded", mustSupport=True),
        el(f"{o}.note", mustSupport=True),
        el(f"{o}.bodySite", min=1, mustSupport=True, short="Vertebra or region, with the side",
           constraint=[
               constraint("mfr-obs-3", "A site without a SNOMED CT code has text",
                          f"coding.where(system = '{SNOMED}').exists() or text.exists()", FINDING_PROFILE),
               constraint("mfr-obs-4", "A site has one SNOMED CT code at most",
                          f"coding.where(system = '{SNOMED}').count() <= 1", FINDING_PROFILE),
           ],
           binding={"strength": "extensible", "description": "SNOMED CT vertebrae and back regions",
                    "valueSet": url_of("ValueSet", "body-site")}),
        el(f"{o}.bodySite.extension", slicing=URL_SLICING),
        el(f"{o}.bodySite.extension:laterality", min=0, max="1",
           type=[{"code": "Extension", "profile": [LATERALITY_EXT]}],
           short="Left or right; absent for midline", mustSupport=True),
        el(f"{o}.bodySite.coding", mustSupport=True),
        el(f"{o}.bodySite.text", mustSupport=True, short='Such as "T4, left"'),
        el(f"{o}.method", min=1, patternCodeableConcept=concept(SNOMED, "129434008"), mustSupport=True),
        el(f"{o}.derivedFrom", type=ref("DocumentReference"), short="Legacy note the finding came from",
           mustSupport=True),
        el(f"{o}.derivedFrom.extension", slicing=URL_SLICING),
        el(f"{o}.derivedFrom.extension:sourceSpan", min=0, max="1",
           type=[{"code": "Extension", "profile": [SOURCE_SPAN_EXT]}],
           short="Where in the note the finding was read", mustSupport=True),
        el(f"{o}.component", mustSupport=True,
           slicing=pattern_slicing("code", "Pain, VAS, tenderness and release, by code; no other component",
                                   rules="closed"),
           constraint=[constraint("mfr-obs-5", "A component has a value or a dataAbsentReason, not both",
                                  "value.exists() != dataAbsentReason.exists()", FINDING_PROFILE)]),
    ]
    diff += component_slice("pain", PAIN_NRS, "integer", "Pain 0-10 (NRS)",
                            minValueInteger=0, maxValueInteger=10)
    diff += component_slice("vas", PAIN_VAS, "Quantity", "Pain on a visual analogue scale, mm",
                            patternQuantity={"system": UCUM, "code": "mm"},
                            minValueQuantity={"value": 0, "unit": "mm", "system": UCUM, "code": "mm"},
                            maxValueQuantity={"value": 100, "unit": "mm", "system": UCUM, "code": "mm"})
    diff.append(el("Observation.component:vas.value[x].value", min=1))
    diff += component_slice("tender", (MFR_CS, "tender"), "boolean", "Tender to palpation")
    diff += component_slice("released", (MFR_CS, "released"), "CodeableConcept", "Response to kneading",
                            binding={"strength": "required", "description": "Response to kneading",
                                     "valueSet": url_of("ValueSet", "release-response")})
    return diff


def laterality_differential():
    return [
        el("Extension", min=0, max="1", short="Side of a finding: left or right",
           definition="The side of the spine (left or right of the spinous processes) where a finding "
                      "was felt. Absent for midline findings."),
        el("Extension.extension", max="0"),
        el("Extension.url", fixedUri=LATERALITY_EXT),
        el("Extension.value[x]", min=1, type=[{"code": "CodeableConcept"}],
           binding={"strength": "required", "description": "Left or right",
                    "valueSet": url_of("ValueSet", "laterality")}),
    ]


def complex_extension_differential(url, short, definition, parts):
    """An extension made of simple sub-extensions: parts are (name, value type, short)."""
    diff = [
        el("Extension", min=0, max="1", short=short, definition=definition),
        el("Extension.extension", min=1, slicing=URL_SLICING),
    ]
    for name, value_type, part_short in parts:
        base = f"Extension.extension:{name}"
        diff += [
            el(base, min=0, max="1", short=part_short),
            el(f"{base}.extension", max="0"),
            el(f"{base}.url", fixedUri=name),
            el(f"{base}.value[x]", min=1, type=[{"code": value_type}]),
        ]
    diff += [el("Extension.url", fixedUri=url), el("Extension.value[x]", max="0")]
    return diff


def structure_definition(rid, name, title, description, base_sd, differential, types, **extra):
    sd = metadata("StructureDefinition", rid, name, title, description)
    sd["fhirVersion"] = FHIR_VERSION
    builder = SnapshotBuilder(base_sd, types, url_of("StructureDefinition", rid))
    snapshot = builder.build(differential)
    mappings = {m["identity"]: m for m in base_sd.get("mapping", [])}
    for t in sorted(builder.used_types):
        for m in types[t].get("mapping", []):
            mappings.setdefault(m["identity"], m)
    sd["mapping"] = list(mappings.values())
    sd["kind"] = base_sd["kind"]
    sd["abstract"] = False
    sd.update(extra)
    sd["type"] = base_sd["type"]
    sd["baseDefinition"] = base_sd["url"]
    sd["derivation"] = "constraint"
    sd["snapshot"] = {"element": snapshot}
    sd["differential"] = {"element": differential}
    rows = []
    for d in differential:
        what = []
        if "min" in d or "max" in d:
            e = next(s for s in snapshot if s["id"] == d["id"])
            what.append(f"{e['min']}..{e['max']}")
        for k, v in d.items():
            if k.startswith(("pattern", "fixed")):
                what.append(f"{k} {json.dumps(v, ensure_ascii=False)}")
            elif k == "type":
                what.append("type " + ", ".join(
                    t["code"] + "(" + ", ".join(t.get("targetProfile", []) + t.get("profile", [])) + ")"
                    if t.get("targetProfile") or t.get("profile") else t["code"] for t in v))
            elif k == "binding":
                what.append(f"{v['strength']} binding to {v['valueSet']}")
            elif k == "slicing":
                what.append("sliced by " + ", ".join(f"{x['type']}:{x['path']}" for x in v["discriminator"]))
            elif k in ("minValueInteger", "maxValueInteger"):
                what.append(f"{k} {v}")
            elif k == "mustSupport" and v:
                what.append("must support")
            elif k == "constraint":
                what += [f"{c['key']}: {c['human']}" for c in v]
        rows.append((d["id"], "; ".join(what)))
    sd["text"] = xhtml([f"<p>{esc(title)} (constraint on {esc(base_sd['type'])}): {esc(description)}</p>",
                        table(["Element", "Constraint"], rows)])
    return sd


def structure_definitions(resources, types):
    lat = structure_definition(
        "laterality", "Laterality", "Laterality of a skin rolling finding",
        "The side (SNOMED CT left or right) of the body site of a skin rolling finding.",
        types["Extension"], laterality_differential(), types,
        context=[{"type": "element", "expression": "Observation.bodySite"},
                 {"type": "element", "expression": "CodeableConcept"}])
    course = structure_definition(
        "course", "Course", "Place of a session in its course of treatment",
        "The number of this session in its course and how many sessions were planned.",
        types["Extension"],
        complex_extension_differential(
            COURSE_EXT, "Session number and planned sessions",
            "Where a skin rolling session stands in its course of treatment (several sessions over a "
            "few weeks): its number and the number of sessions planned.",
            [("sessionNumber", "positiveInt", "Number of this session in the course, from 1"),
             ("plannedSessions", "positiveInt", "Number of sessions planned for the course")]),
        types, context=[{"type": "element", "expression": "Procedure"}])
    span = structure_definition(
        "source-span", "SourceSpan", "Source span of a finding in a legacy note",
        "Where in the verbatim legacy note (the referenced DocumentReference) the finding was read.",
        types["Extension"],
        complex_extension_differential(
            SOURCE_SPAN_EXT, "Offset and length of the quoted text",
            "The part of the legacy note's text that a finding was read from, as an offset and a length "
            "in bytes of its UTF-8 text.",
            [("offset", "unsignedInt", "Byte offset of the quoted text in the note"),
             ("length", "unsignedInt", "Length of the quoted text in bytes")]),
        types, context=[{"type": "element", "expression": "Observation.derivedFrom"}])
    proc = structure_definition(
        "mfr-skin-rolling-procedure", "MfrSkinRollingProcedure", "Skin rolling session",
        "A session of myofascial release by skin rolling, as mfr-fhir writes it.",
        resources["Procedure"], procedure_differential(), types)
    finding = structure_definition(
        "mfr-skin-rolling-finding", "MfrSkinRollingFinding", "Skin rolling finding",
        "A finding of a skin rolling session at one site and side, as mfr-fhir writes it.",
        resources["Observation"], finding_differential(), types)
    return [proc, finding, lat, course, span]


# ---------------------------------------------------------------------------------------------
# CapabilityStatement.

# The server's CapabilityStatement, rest part, exactly as GET /metadata serves it
# (fhir/exchange/server/capability.cpp): test_server's "the conformance package describes the
# server that runs" compares the two, so change both together.

SP = "http://hl7.org/fhir/SearchParameter/"


def search_param(name, definition, sp_type, documentation):
    param = {"name": name, "type": sp_type, "documentation": documentation}
    if definition:
        param["definition"] = definition
    return param


def server_resource(rtype, profile):
    r = {"type": rtype, "profile": CORE_SD + rtype, "supportedProfile": [profile],
         "interaction": [{"code": c} for c in
                         ("read", "vread", "history-instance", "search-type", "create", "update")],
         "versioning": "versioned-update", "readHistory": True, "updateCreate": True,
         "conditionalCreate": True, "conditionalUpdate": False, "conditionalDelete": "not-supported"}
    if rtype == "Observation":
        r["searchInclude"] = ["Observation:part-of"]
    if rtype == "Procedure":
        r["searchRevInclude"] = ["Observation:part-of"]
    r["searchParam"] = [
        search_param("patient", SP + "clinical-patient", "reference", "Patient/[id] or [id]"),
        search_param("subject", SP + f"{rtype}-subject", "reference",
                     "Patient/[id] or [id]; the same as patient here"),
        search_param("date", SP + "clinical-date", "date",
                     "Prefixes eq, ne, lt, le, gt, ge, sa, eb, ap on instants: a value is the UTC range its "
                     "precision covers (without an offset: UTC); ap widens it by a tenth of the time to now"),
        search_param("code", SP + "clinical-code", "token", "system|code or code"),
        search_param("identifier", SP + "clinical-identifier", "token", "system|value or value"),
        search_param("part-of", SP + f"{rtype}-part-of", "reference", "Procedure/[id] or [id]"),
        # The result parameters the server honours (R4 3.1.1.5); any other is refused with 400.
        search_param("_summary", None, "token",
                     "count (Bundle.total, no entries), true (the elements R4 marks isSummary), text, data or "
                     "false; subsets carry meta.tag SUBSETTED"),
        search_param("_elements", None, "string",
                     "top-level elements of the searched type, comma-separated; id, meta, the mandatory "
                     "elements and modifiers are kept; meta.tag SUBSETTED"),
        search_param("_total", None, "token",
                     "accurate (counts every match), estimate (given on the last page), none"),
        search_param("_count", None, "number", "page size, at most the server's maximum"),
        search_param("_sort", None, "token", "date only (ascending, by instant)"),
    ]
    return r


BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/"
TOPIC = "https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record"


def subscription_resource():
    return {
        "extension": [{"url": BACKPORT + "StructureDefinition/capabilitystatement-subscriptiontopic-canonical",
                       "valueCanonical": TOPIC}],
        "type": "Subscription",
        "profile": CORE_SD + "Subscription",
        "supportedProfile": [BACKPORT + "StructureDefinition/backport-subscription"],
        "documentation": f"Experimental. Topic {TOPIC}: a Procedure or Observation created or updated, filtered "
                         "by patient (backport-filter-criteria, e.g. Observation?patient=Patient/123). rest-hook to "
                         "an https:// endpoint, payload application/fhir+json with backport-payload-content "
                         "id-only, full-resource or empty. A Subscription is seen and deleted only by the partner "
                         "(token) that made it. A handshake on creation (requested, then active or error), then one "
                         "event-notification (a history Bundle, the Parameters status first) per write transaction "
                         "with matching resources, in commit order, through the durable outbox; heartbeats at "
                         "backport-heartbeat-period.",
        "interaction": [{"code": c} for c in ("read", "search-type", "create", "delete")],
        "searchParam": [search_param("status", SP + "Subscription-status", "token",
                                     "requested, active, error or off")],
        "operation": [{"name": "status",
                       "definition": BACKPORT + "OperationDefinition/backport-subscription-status"}],
    }


def server_rest():
    return {
        "mode": "server",
        "documentation": "JSON only (application/fhir+json). Search parameters not listed are refused with 400 "
                         "(an OperationOutcome 'not-supported'; a malformed or unknown value: 'invalid'); paging "
                         "with _count and the next link, an included resource on the page of the match that "
                         "needs it; _sort=date only (ascending, by instant); _total=accurate counts the matches "
                         "(estimate: on the last page; none: no total); _summary=count, true, text, data, false; "
                         "_elements. Bulk Data $export "
                         "([base]/$export and [base]/Patient/$export, Prefer: respond-async; _type, _since, "
                         "_outputFormat=application/fhir+ndjson) answers 202 with a status URL; the files are "
                         "downloaded with the same token.",
        "security": {
            "cors": False,
            "service": [{"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                "code": "OAuth", "display": "OAuth"}]}],
            "description": "TLS; every request but GET metadata carries a bearer token issued by the clinic "
                           "(Authorization: Bearer), with the read and/or write scope; optionally a client "
                           "certificate (mTLS).",
        },
        "resource": [server_resource("Procedure", PROCEDURE_PROFILE),
                     server_resource("Observation", FINDING_PROFILE), subscription_resource()],
        "interaction": [{"code": "transaction"}, {"code": "batch"}],
        "operation": [
            {"name": "export", "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"},
            {"name": "patient-export",
             "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"},
        ],
    }


def capability_statement():
    cs = metadata("CapabilityStatement", "mfr-fhir-server", "MfrFhirServer", "mfr-fhir server",
                  "The FHIR R4 server of mfr-fhir (mfr serve, mfr_server_start): a clinic's skin rolling "
                  "sessions (Procedure) and findings (Observation), read and searched by partner clinics, "
                  "received from them as transaction or batch Bundles, and exported in bulk (NDJSON). "
                  "What a running server answers at GET [base]/metadata, without the instance's address.")
    cs["kind"] = "capability"
    cs["software"] = {"name": "mfr-fhir", "version": VERSION}
    cs["fhirVersion"] = FHIR_VERSION
    cs["format"] = ["json"]
    cs["rest"] = [server_rest()]
    rows = []
    for r in cs["rest"][0]["resource"]:
        rows.append((r["type"], ", ".join(i["code"] for i in r["interaction"]),
                     ", ".join(p["name"] for p in r["searchParam"]),
                     ", ".join(r.get("supportedProfile", []))))
    cs["text"] = xhtml([f"<p>{esc(cs['description'])}</p>",
                        "<p>System interactions: transaction, batch; operations $export and Patient/$export "
                        f"(Bulk Data). Security: {esc(cs['rest'][0]['security']['description'])}</p>",
                        table(["Resource", "Interactions", "Search parameters", "Profiles"], rows)])
    return cs


# ---------------------------------------------------------------------------------------------
# Package.

def file_name(resource):
    return f"{resource['resourceType']}-{resource['id']}.json"


def index_entry(resource):
    entry = {"filename": file_name(resource), "resourceType": resource["resourceType"],
             "id": resource["id"], "url": resource["url"], "version": resource["version"]}
    if resource["resourceType"] == "StructureDefinition":
        entry["kind"] = resource["kind"]
        entry["type"] = resource["type"]
    return entry


def package_json():
    return {
        "name": PACKAGE_NAME,
        "version": VERSION,
        "description": "Profiles, extension, terminology and server capabilities of mfr-fhir: myofascial "
                       "release (skin rolling) sessions and findings as FHIR R4 Procedure and Observation.",
        "author": PUBLISHER,
        "fhirVersions": [FHIR_VERSION],
        "dependencies": {"hl7.fhir.r4.core": FHIR_VERSION},
        "canonical": BASE,
        "url": BASE,
        "type": "fhir.ig",
        "keywords": ["fhir", "myofascial release", "skin rolling", "physical therapy"],
    }


def load_bundle(path):
    with open(path, encoding="utf-8") as f:
        bundle = json.load(f)
    return {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}


def drop_empty_text(resource):
    # metadata() reserves "text" right after "id" (FHIR's order); every builder fills it.
    if resource.get("text") is None:
        raise SnapshotError(f"{resource['resourceType']}/{resource['id']} has no narrative")
    return resource


def write_json(path, value):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--r4", default="/work/shared/fhir-r4", help="folder of the FHIR R4 definitions")
    parser.add_argument("--out", default=os.path.join(here, "package"), help="package folder to write")
    args = parser.parse_args()

    resources = load_bundle(os.path.join(args.r4, "structuredefinitions-resources.json"))
    types = load_bundle(os.path.join(args.r4, "structuredefinitions-types.json"))
    try:
        content = (structure_definitions(resources, types) + code_systems() + value_sets()
                   + [capability_statement()])
    except SnapshotError as e:
        print(f"generate.py: {e}", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        if old.endswith(".json") and not old.startswith("package"):
            os.remove(os.path.join(args.out, old))
    for r in content:
        write_json(os.path.join(args.out, file_name(drop_empty_text(r))), r)
    write_json(os.path.join(args.out, ".index.json"),
               {"index-version": 1, "files": [index_entry(r) for r in content]})
    write_json(os.path.join(args.out, "package.json"), package_json())
    # package/example holds hand-written instances of the profiles; index what is there.
    examples_dir = os.path.join(args.out, "example")
    if os.path.isdir(examples_dir):
        examples = []
        for name in sorted(os.listdir(examples_dir)):
            if name.endswith(".json") and not name.startswith("."):
                with open(os.path.join(examples_dir, name), encoding="utf-8") as f:
                    r = json.load(f)
                examples.append({"filename": name, "resourceType": r["resourceType"], "id": r["id"]})
        write_json(os.path.join(examples_dir, ".index.json"), {"index-version": 1, "files": examples})
    print(f"wrote {len(content)} resources to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
