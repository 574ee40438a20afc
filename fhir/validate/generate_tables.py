#!/usr/bin/env python3
"""Generates the R4 element tables of mfr::validate from the official FHIR R4 (4.0.1) definitions.

Usage: python3 fhir/validate/generate_tables.py <fhir-r4 dir> <output dir>
  e.g. python3 fhir/validate/generate_tables.py /work/shared/fhir-r4 fhir/validate

Reads structuredefinitions-resources.json, structuredefinitions-types.json and valuesets-required.json
and writes r4_tables.hpp (ids) and r4_tables.cpp (data). Both outputs are committed: the build never
reads the definitions. Standard library only.

What goes in:
  - one Structure per resource we validate, per backbone element inside it, and per complex datatype
    reachable from them (transitively, Extension.value[x] included), plus "Element" for the `_x`
    objects that carry a primitive's id/extensions;
  - one Element per JSON member name: a choice `value[x]` becomes valueQuantity, valueString, ...
    all sharing one choice group; min, max, kind (primitive kind, complex, resource), the structure
    of a complex type or backbone, the required-binding value set, and the allowed reference targets;
  - the codes of each required-binding value set whose code systems are in the definitions
    (value sets we cannot enumerate, such as mime types, are marked and not checked);
  - the names of all R4 resource types.
"""
import json
import os
import sys

RESOURCES = ["Procedure", "Observation", "Bundle", "DocumentReference", "OperationOutcome", "Patient", "Provenance"]

# The 146 resource types of R4 4.0.1 (the resource-types code system is not part of the extract we
# read, so the list is spelled out here; every reference target in the definitions is checked against it).
R4_RESOURCE_TYPES = """
Account ActivityDefinition AdverseEvent AllergyIntolerance Appointment AppointmentResponse AuditEvent Basic
Binary BiologicallyDerivedProduct BodyStructure Bundle CapabilityStatement CarePlan CareTeam CatalogEntry
ChargeItem ChargeItemDefinition Claim ClaimResponse ClinicalImpression CodeSystem Communication
CommunicationRequest CompartmentDefinition Composition ConceptMap Condition Consent Contract Coverage
CoverageEligibilityRequest CoverageEligibilityResponse DetectedIssue Device DeviceDefinition DeviceMetric
DeviceRequest DeviceUseStatement DiagnosticReport DocumentManifest DocumentReference EffectEvidenceSynthesis
Encounter Endpoint EnrollmentRequest EnrollmentResponse EpisodeOfCare EventDefinition Evidence
EvidenceVariable ExampleScenario ExplanationOfBenefit FamilyMemberHistory Flag Goal GraphDefinition Group
GuidanceResponse HealthcareService ImagingStudy Immunization ImmunizationEvaluation ImmunizationRecommendation
ImplementationGuide InsurancePlan Invoice Library Linkage List Location Measure MeasureReport Media Medication
MedicationAdministration MedicationDispense MedicationKnowledge MedicationRequest MedicationStatement
MedicinalProduct MedicinalProductAuthorization MedicinalProductContraindication MedicinalProductIndication
MedicinalProductIngredient MedicinalProductInteraction MedicinalProductManufactured MedicinalProductPackaged
MedicinalProductPharmaceutical MedicinalProductUndesirableEffect MessageDefinition MessageHeader
MolecularSequence NamingSystem NutritionOrder Observation ObservationDefinition OperationDefinition
OperationOutcome Organization OrganizationAffiliation Parameters Patient PaymentNotice PaymentReconciliation
Person PlanDefinition Practitioner PractitionerRole Procedure Provenance Questionnaire QuestionnaireResponse
RelatedPerson RequestGroup ResearchDefinition ResearchElementDefinition ResearchStudy ResearchSubject
RiskAssessment RiskEvidenceSynthesis Schedule SearchParameter ServiceRequest Slot Specimen SpecimenDefinition
StructureDefinition StructureMap Subscription Substance SubstanceNucleicAcid SubstancePolymer SubstanceProtein
SubstanceReferenceInformation SubstanceSourceMaterial SubstanceSpecification SupplyDelivery SupplyRequest Task
TerminologyCapabilities TestReport TestScript ValueSet VerificationResult VisionPrescription
""".split()

# Primitive type -> the C++ Kind enumerator (hand-written checkers in primitives.cpp, one per kind).
PRIMITIVE_KINDS = {
    "boolean": "Boolean", "integer": "Integer", "positiveInt": "PositiveInt", "unsignedInt": "UnsignedInt",
    "decimal": "Decimal", "string": "String", "markdown": "Markdown", "code": "Code", "id": "Id",
    "uri": "Uri", "url": "Url", "canonical": "Canonical", "oid": "Oid", "uuid": "Uuid",
    "base64Binary": "Base64Binary", "instant": "Instant", "date": "Date", "dateTime": "DateTime",
    "time": "Time", "xhtml": "Xhtml",
}
FHIR_TYPE_EXT = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
REGEX_EXT = "http://hl7.org/fhir/StructureDefinition/regex"
NONE = 0xFFFF


def load_bundle(path):
    with open(path, encoding="utf-8") as f:
        return [e["resource"] for e in json.load(f)["entry"]]


def cpp_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def member_hash(structure, name):
    """First and last 8 bytes (little-endian, zero padded), length and structure; tables.hpp (detail::member_hash) mirrors it."""
    b = name.encode("ascii")
    n = len(b)
    a = int.from_bytes(b[:8].ljust(8, b"\0"), "little")
    z = int.from_bytes(b[-8:], "little") if n > 8 else 0
    m = (1 << 64) - 1
    h = (a * 0x9E3779B97F4A7C15 + z * 0xC2B2AE3D27D4EB4F + n + structure * 0x165667B19E3779F9) & m
    return (h ^ (h >> 32)) & 0xFFFFFFFF


def ident(s):
    """'Observation.component' -> 'ObservationComponent', 'observation-status' -> 'ObservationStatus'."""
    parts = s.replace("-", ".").split(".")
    return "".join(p[0].upper() + p[1:] for p in parts if p)


class Generator:
    def __init__(self, src):
        self.sds = {}
        for name in ("structuredefinitions-resources.json", "structuredefinitions-types.json"):
            for r in load_bundle(os.path.join(src, name)):
                self.sds[r["id"]] = r
        self.code_systems = {}
        self.value_sets = {}
        for r in load_bundle(os.path.join(src, "valuesets-required.json")):
            if r["resourceType"] == "CodeSystem":
                self.code_systems[r["url"]] = r
            elif r["resourceType"] == "ValueSet":
                self.value_sets[r["url"]] = r
        self.structures = []        # [name, [element dicts]]
        self.structure_index = {}   # name -> index
        self.vs_list = []           # [url, enumerable, [(system, code)]]
        self.vs_index = {}
        self.regexes = {}
        self.pending = []

    # ---- structures -------------------------------------------------------------------------
    def structure_for(self, key, build):
        if key not in self.structure_index:
            self.structure_index[key] = len(self.structures)
            self.structures.append([key, None])
            self.pending.append((key, build))
        return self.structure_index[key]

    def type_structure(self, type_code):
        sd = self.sds.get(type_code)
        if sd is None:
            raise SystemExit(f"no StructureDefinition for type {type_code}")
        return self.structure_for(type_code, lambda: self.build_from_snapshot(sd, sd["snapshot"]["element"][0]["path"], type_code))

    def build_from_snapshot(self, sd, root_path, name):
        elements = sd["snapshot"]["element"]
        by_path = {e["path"]: e for e in elements}
        is_resource = sd["kind"] == "resource"

        def children_of(path):
            depth = path.count(".") + 1
            return [e for e in elements if e["path"].startswith(path + ".") and e["path"].count(".") == depth]

        def backbone(path, display):
            return self.structure_for(display, lambda: make(path, display))

        def make(path, display):
            out = []
            for el in children_of(path):
                out.extend(self.element_rows(sd, el, by_path, is_resource and path == root_path, backbone, display))
            return out

        return make(root_path, name)

    def element_rows(self, sd, el, by_path, at_resource_root, backbone, display):
        path = el["path"]
        last = path.rsplit(".", 1)[1]
        lo = int(el.get("min", 0))
        hi = el.get("max", "*")
        hi = NONE if hi == "*" else int(hi)
        binding = el.get("binding", {})
        vs = NONE
        if binding.get("strength") == "required" and binding.get("valueSet"):
            vs = self.value_set(binding["valueSet"].split("|")[0])
        rows = []
        if "contentReference" in el:
            target = el["contentReference"][1:]
            target_name = sd["id"] + target[len(target.split(".")[0]):]
            st = backbone(target, target_name)
            return [dict(name=last, type="BackboneElement", kind="Complex", structure=st, vs=vs, min=lo, max=hi,
                         choice="", targets="")]
        types = el.get("type", [])
        choice = last.endswith("[x]")
        base = last[:-3] if choice else last
        for t in types:
            code = t["code"]
            if code.startswith("http://hl7.org/fhirpath/System."):
                code = next(x["valueUrl"] for x in t.get("extension", []) if x["url"] == FHIR_TYPE_EXT)
                if at_resource_root and last == "id":
                    code = "id"  # Resource.id is an id (R4 snapshots spell it System.String)
            json_name = base + code[0].upper() + code[1:] if choice else base
            targets = ""
            if code == "Reference" or code == "canonical":
                names = [p.rsplit("/", 1)[1] for p in t.get("targetProfile", [])]
                for n in names:
                    if n not in R4_RESOURCE_TYPES and n != "Resource" and code == "Reference":
                        raise SystemExit(f"{path}: unknown reference target {n}")
                targets = "" if code == "canonical" or "Resource" in names or not names else "|" + "|".join(names) + "|"
            if code in PRIMITIVE_KINDS:
                kind, st, tname = PRIMITIVE_KINDS[code], NONE, code
            elif code in ("BackboneElement", "Element"):
                kind, st, tname = "Complex", backbone(path, display + "." + last), code
            elif code == "Resource" or code in R4_RESOURCE_TYPES:
                kind, st, tname = "Resource", NONE, code
            else:
                # A profiled datatype (Quantity constrained to SimpleQuantity) uses the profile's snapshot.
                profiles = [p.rsplit("/", 1)[1] for p in t.get("profile", [])]
                if len(profiles) == 1 and profiles[0] in self.sds:
                    code = profiles[0]
                kind, st, tname = "Complex", self.type_structure(code), code
            rows.append(dict(name=json_name, type=tname, kind=kind, structure=st, vs=vs, min=lo, max=hi,
                             choice=last if choice else "", targets=targets))
        return rows

    # ---- value sets ---------------------------------------------------------------------------
    def concepts(self, cs_url):
        cs = self.code_systems.get(cs_url)
        if cs is None or cs.get("content") not in ("complete", None):
            return None
        out = []

        def walk(cs_concepts):
            for c in cs_concepts:
                out.append(c["code"])
                walk(c.get("concept", []))
        walk(cs.get("concept", []))
        return out

    def value_set(self, url):
        if url in self.vs_index:
            return self.vs_index[url]
        vs = self.value_sets.get(url)
        codes, enumerable = [], vs is not None
        if vs is not None:
            for inc in vs.get("compose", {}).get("include", []):
                system = inc.get("system", "")
                if inc.get("filter") or inc.get("valueSet"):
                    enumerable = False
                elif inc.get("concept"):
                    codes.extend((system, c["code"]) for c in inc["concept"])
                else:
                    found = self.concepts(system)
                    if found is None:
                        enumerable = False
                    else:
                        codes.extend((system, c) for c in found)
            if vs.get("compose", {}).get("exclude"):
                enumerable = False
        if not enumerable:
            codes = []
        self.vs_index[url] = len(self.vs_list)
        self.vs_list.append([url, enumerable, sorted(set(codes), key=lambda sc: (sc[1], sc[0]))])
        return self.vs_index[url]

    # ---- run ----------------------------------------------------------------------------------
    def run(self):
        self.structure_for("Element", lambda: self.build_from_snapshot(self.sds["Element"], "Element", "Element"))
        for r in RESOURCES:
            sd = self.sds[r]
            self.structure_for(r, lambda sd=sd, r=r: self.build_from_snapshot(sd, r, r))
        while self.pending:
            key, build = self.pending.pop(0)
            self.structures[self.structure_index[key]][1] = build()
        for sd in self.sds.values():
            if sd["kind"] == "primitive-type":
                for el in sd["snapshot"]["element"]:
                    if el["path"].endswith(".value"):
                        for t in el["type"]:
                            for x in t.get("extension", []):
                                if x["url"] == REGEX_EXT:
                                    self.regexes[sd["id"]] = x["valueString"]
                if sd["id"] not in PRIMITIVE_KINDS:
                    raise SystemExit(f"new primitive type {sd['id']}: add a checker and a Kind")

    def write(self, out_dir):
        header = ("// GENERATED by fhir/validate/generate_tables.py from the FHIR R4 4.0.1 definitions. Do not edit.\n"
                  "// Regenerate: python3 fhir/validate/generate_tables.py /work/shared/fhir-r4 fhir/validate\n")
        elements, choice_ids = [], {}
        st_rows = []
        for name, rows in self.structures:
            rows = sorted(rows, key=lambda r: r["name"])
            names = [r["name"] for r in rows]
            if len(names) != len(set(names)):
                raise SystemExit(f"duplicate JSON names in {name}")
            if len(rows) > 128:
                raise SystemExit(f"{name} has {len(rows)} elements; the validator's seen-set holds 128")
            groups = {}
            for r in rows:
                if r["choice"]:
                    groups.setdefault(r["choice"], len(groups) + 1)
            required_slots = {}
            for r in rows:
                key = r["choice"] or r["name"]
                if r["min"] > 0 and key not in required_slots:
                    required_slots[key] = len(required_slots)
            if len(required_slots) > 32:
                raise SystemExit(f"{name}: too many required elements")
            st_rows.append((name, len(elements), len(rows), len(required_slots)))
            for r in rows:
                key = r["choice"] or r["name"]
                elements.append((r, groups.get(r["choice"], 0), required_slots.get(key, NONE) if r["min"] > 0 else NONE))
        codes, vs_rows = [], []
        for url, enumerable, cs in self.vs_list:
            vs_rows.append((url, enumerable, len(codes), len(cs)))
            codes.extend(cs)

        size = 1
        while size < 4 * len(elements):
            size *= 2
        hpp = [header, "#pragma once\n#include \"validate/schema.hpp\"\n\nnamespace mfr::validate::r4 {\n\n",
               "// Index of each structure in kStructures.\nenum StructureId : std::uint16_t {\n"]
        for i, (name, *_rest) in enumerate(st_rows):
            hpp.append(f"  k{ident(name)} = {i},\n")
        hpp.append("};\n\n// Index of each required-binding value set in kValueSets.\nenum ValueSetId : std::uint16_t {\n")
        for i, (url, *_rest) in enumerate(vs_rows):
            hpp.append(f"  kVs{ident(url.rsplit('/', 1)[1])} = {i},\n")
        hpp.append("};\n\n")
        hpp.append(f"inline constexpr std::size_t kStructureCount = {len(st_rows)};\n")
        hpp.append(f"inline constexpr std::size_t kElementCount = {len(elements)};\n")
        hpp.append(f"inline constexpr std::size_t kMemberSlotCount = {size};\n")
        hpp.append(f"inline constexpr std::size_t kValueSetCount = {len(vs_rows)};\n")
        hpp.append(f"inline constexpr std::size_t kCodeCount = {len(codes)};\n")
        hpp.append(f"inline constexpr std::size_t kResourceTypeCount = {len(R4_RESOURCE_TYPES)};\n\n")
        hpp.append("extern const Structure kStructures[kStructureCount];\n"
                   "extern const Element kElements[kElementCount];\n"
                   "extern const std::uint16_t kMemberSlots[kMemberSlotCount];\n"
                   "extern const ValueSet kValueSets[kValueSetCount];\n"
                   "extern const Code kCodes[kCodeCount];\n"
                   "// Every R4 resource type name, sorted.\n"
                   "extern const std::string_view kResourceTypes[kResourceTypeCount];\n"
                   "// The resources validated in depth and their structures, sorted by name.\n"
                   f"extern const ResourceStructure kValidatedResources[{len(RESOURCES)}];\n"
                   f"inline constexpr std::size_t kValidatedResourceCount = {len(RESOURCES)};\n\n"
                   "}  // namespace mfr::validate::r4\n")

        cpp = [header, "#include \"validate/r4_tables.hpp\"\n\nnamespace mfr::validate::r4 {\n\n"]
        cpp.append("// Primitive regexes of the specification, for reference; primitives.cpp implements each by hand:\n")
        for t in sorted(self.regexes):
            cpp.append(f"//   {t:13} {self.regexes[t]}\n")
        cpp.append("\n// name, first element, element count, required slot count\n")
        cpp.append("const Structure kStructures[kStructureCount] = {\n")
        for name, first, count, req in st_rows:
            cpp.append(f"    {{{cpp_str(name)}, {first}, {count}, {req}}},\n")
        cpp.append("};\n\n// json name, type, kind, structure, value set, min, max, choice group, required slot, choice name, targets\n")
        cpp.append("const Element kElements[kElementCount] = {\n")
        for r, group, slot in elements:
            cpp.append(f"    {{{cpp_str(r['name'])}, {cpp_str(r['type'])}, Kind::{r['kind']}, {r['structure']}, {r['vs']}, "
                       f"{r['min']}, {r['max']}, {group}, {slot}, {cpp_str(r['choice'])}, {cpp_str(r['targets'])}}},\n")
        size = 1
        while size < 4 * len(elements):
            size *= 2
        slots = [NONE] * size
        index = 0
        for st_index, (name, first, count, req) in enumerate(st_rows):
            for i in range(first, first + count):
                h = member_hash(st_index, elements[i][0]["name"]) & (size - 1)
                while slots[h] != NONE:
                    h = (h + 1) & (size - 1)
                slots[h] = i
        cpp.append("};\n\n// Open addressing (linear probing) over member_hash(structure, name): element index or 0xFFFF.\n")
        cpp.append("const std::uint16_t kMemberSlots[kMemberSlotCount] = {\n")
        for k in range(0, size, 16):
            cpp.append("    " + ", ".join(str(x) for x in slots[k:k + 16]) + ",\n")
        cpp.append("};\n\n// url, enumerable, first code, code count\nconst ValueSet kValueSets[kValueSetCount] = {\n")
        self.member_slot_count = size
        for url, enumerable, first, count in vs_rows:
            cpp.append(f"    {{{cpp_str(url)}, {'true' if enumerable else 'false'}, {first}, {count}}},\n")
        cpp.append("};\n\n// system, code; sorted by code within each value set\nconst Code kCodes[kCodeCount] = {\n")
        for system, code in codes:
            cpp.append(f"    {{{cpp_str(system)}, {cpp_str(code)}}},\n")
        cpp.append("};\n\nconst std::string_view kResourceTypes[kResourceTypeCount] = {\n")
        for n in sorted(R4_RESOURCE_TYPES):
            cpp.append(f"    {cpp_str(n)},\n")
        cpp.append(f"}};\n\nconst ResourceStructure kValidatedResources[{len(RESOURCES)}] = {{\n")
        for n in sorted(RESOURCES):
            cpp.append(f"    {{{cpp_str(n)}, {self.structure_index[n]}}},\n")
        cpp.append("};\n\n}  // namespace mfr::validate::r4\n")
        with open(os.path.join(out_dir, "r4_tables.hpp"), "w", encoding="utf-8") as f:
            f.write("".join(hpp))
        with open(os.path.join(out_dir, "r4_tables.cpp"), "w", encoding="utf-8") as f:
            f.write("".join(cpp))


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    assert len(set(R4_RESOURCE_TYPES)) == len(R4_RESOURCE_TYPES) == 146
    g = Generator(sys.argv[1])
    g.run()
    g.write(sys.argv[2])


if __name__ == "__main__":
    main()
