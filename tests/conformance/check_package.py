#!/usr/bin/env python3
"""Check the FHIR conformance package (packaging/fhir/package) for consistency.

    python3 tests/conformance/check_package.py packaging/fhir/package

Every file parses; package.json and .index.json describe the files; every resource's id and url
match its file name; every snapshot is complete (id, path, min, max, base, definition) and agrees
with its differential; slices have discriminators; every code of ours that a profile or value set
uses exists in our CodeSystems; and the codes agree with fhir/terminology. Exits 1 on any problem.
Python 3 standard library only.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9_]{0,254}$")
NPM_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
XHTML_DIV = '<div xmlns="http://www.w3.org/1999/xhtml">'


class Checker:
    def __init__(self, package_dir):
        self.dir = package_dir
        self.problems = []
        self.resources = {}  # file name -> resource

    def fail(self, where, message):
        self.problems.append(f"{where}: {message}")

    # -- files ------------------------------------------------------------------------------
    def load(self, name):
        path = os.path.join(self.dir, name)
        try:
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError) as e:
            self.fail(name, f"cannot be read as JSON: {e}")
            return None

    def check_files(self):
        names = sorted(n for n in os.listdir(self.dir) if n.endswith(".json"))
        if not names:
            self.fail(self.dir, "holds no JSON files")
        for name in names:
            value = self.load(name)
            if value is not None and name not in ("package.json", ".index.json"):
                self.resources[name] = value
        return names

    def check_package_json(self):
        pkg = self.load("package.json")
        if pkg is None:
            return None
        for key in ("name", "version", "description", "fhirVersions", "dependencies", "canonical", "type"):
            if key not in pkg:
                self.fail("package.json", f"has no {key}")
        if not NPM_NAME_RE.match(pkg.get("name", "")):
            self.fail("package.json", f"name {pkg.get('name')!r} is not a valid lower-case package name")
        if "4.0.1" not in pkg.get("fhirVersions", []):
            self.fail("package.json", "fhirVersions does not list 4.0.1")
        if pkg.get("dependencies", {}).get("hl7.fhir.r4.core") != "4.0.1":
            self.fail("package.json", "does not depend on hl7.fhir.r4.core 4.0.1")
        if pkg.get("type") != "fhir.ig":
            self.fail("package.json", f"type is {pkg.get('type')!r}, not fhir.ig")
        return pkg

    def check_index(self):
        index = self.load(".index.json")
        if index is None:
            return
        if index.get("index-version") != 1:
            self.fail(".index.json", "index-version is not 1")
        listed = {}
        for entry in index.get("files", []):
            name = entry.get("filename")
            if name in listed:
                self.fail(".index.json", f"lists {name} twice")
            listed[name] = entry
        for name in sorted(set(listed) - set(self.resources)):
            self.fail(".index.json", f"lists {name}, which is not in the package")
        for name in sorted(set(self.resources) - set(listed)):
            self.fail(".index.json", f"does not list {name}")
        for name, entry in listed.items():
            r = self.resources.get(name)
            if r is None:
                continue
            keys = ["resourceType", "id", "url", "version"]
            if r.get("resourceType") == "StructureDefinition":
                keys += ["kind", "type"]
            for key in keys:
                if entry.get(key) != r.get(key):
                    self.fail(".index.json", f"{name}: {key} is {entry.get(key)!r}, the file has {r.get(key)!r}")

    # -- every resource ---------------------------------------------------------------------
    def check_resource(self, name, r, pkg):
        rtype, rid = r.get("resourceType"), r.get("id")
        if name != f"{rtype}-{rid}.json":
            self.fail(name, f"file name does not match {rtype}-{rid}.json")
        canonical = pkg.get("canonical", "") if pkg else ""
        if r.get("url") != f"{canonical}/{rtype}/{rid}":
            self.fail(name, f"url {r.get('url')} is not {canonical}/{rtype}/{rid}")
        if pkg and r.get("version") != pkg.get("version"):
            self.fail(name, f"version {r.get('version')} differs from the package's {pkg.get('version')}")
        for key in ("name", "title", "status", "date", "publisher", "description"):
            if not r.get(key):
                self.fail(name, f"has no {key}")
        if not NAME_RE.match(r.get("name", "")):
            self.fail(name, f"name {r.get('name')!r} is not a computable name")
        if r.get("status") != "draft":
            self.fail(name, f"status is {r.get('status')!r}, not draft")
        if rtype in ("StructureDefinition", "CapabilityStatement") and r.get("fhirVersion") != "4.0.1":
            self.fail(name, "fhirVersion is not 4.0.1")
        text = r.get("text", {})
        if text.get("status") != "generated":
            self.fail(name, "narrative status is not generated (dom-6)")
        div = text.get("div", "")
        if not div.startswith(XHTML_DIV):
            self.fail(name, "narrative is not an XHTML div")
        else:
            try:
                ET.fromstring(div)
            except ET.ParseError as e:
                self.fail(name, f"narrative is not well-formed XHTML: {e}")

    # -- StructureDefinitions ---------------------------------------------------------------
    def check_structure_definition(self, name, sd):
        snapshot = sd.get("snapshot", {}).get("element", [])
        differential = sd.get("differential", {}).get("element", [])
        if not snapshot or not differential:
            self.fail(name, "needs both a snapshot and a differential")
            return
        sd_type = sd.get("type")
        by_id = {}
        for pos, e in enumerate(snapshot):
            where = f"{name} snapshot {e.get('id', pos)}"
            for key in ("id", "path", "min", "max", "base", "definition"):
                if key not in e:
                    self.fail(where, f"has no {key}")
            base = e.get("base", {})
            if not all(k in base for k in ("path", "min", "max")):
                self.fail(where, "base needs path, min and max")
            if "id" in e:
                if e["id"] in by_id:
                    self.fail(where, "id is not unique (sdf-16)")
                by_id[e["id"]] = pos
                if id_path(e["id"]) != e.get("path"):
                    self.fail(where, f"path {e.get('path')} does not match the id")
            path = e.get("path", "")
            if pos == 0:
                if path != sd_type or "type" in e:
                    self.fail(where, f"the first element must be {sd_type} with no type (sdf-8, sdf-15)")
            elif not path.startswith(sd_type + "."):
                self.fail(where, f"path is not inside {sd_type} (sdf-8)")
            if "min" in e and "max" in e:
                if e["max"] != "*" and e["min"] > int(e["max"]):
                    self.fail(where, "min is greater than max")
                if "min" in base and e["min"] < base["min"]:
                    self.fail(where, f"min {e['min']} is below the base min {base['min']}")
                if "max" in base and base["max"] != "*" and (e["max"] == "*" or int(e["max"]) > int(base["max"])):
                    self.fail(where, f"max {e['max']} is above the base max {base['max']}")
        for e in snapshot:
            if "sliceName" in e and "id" in e:
                self.check_slice(name, snapshot, by_id, e)
        last = -1
        for d in differential:
            did = d.get("id")
            where = f"{name} differential {did}"
            if did not in by_id:
                self.fail(where, "is not in the snapshot")
                continue
            if d.get("path") != id_path(did):
                self.fail(where, "path does not match the id")
            if by_id[did] <= last:
                self.fail(where, "is out of the snapshot's order")
            last = by_id[did]
            s = snapshot[by_id[did]]
            for key, value in d.items():
                if key == "constraint":
                    keys = {c.get("key") for c in s.get("constraint", [])}
                    for c in value:
                        if c.get("key") not in keys:
                            self.fail(where, f"constraint {c.get('key')} is missing from the snapshot")
                        if not c.get("expression"):
                            self.fail(where, f"constraint {c.get('key')} has no FHIRPath expression")
                elif s.get(key) != value:
                    self.fail(where, f"{key} differs in the snapshot")
        if sd_type == "Extension":
            if not sd.get("context"):
                self.fail(name, "an extension needs a context (sdf-5)")
            url_el = snapshot[by_id["Extension.url"]] if "Extension.url" in by_id else {}
            if url_el.get("fixedUri") != sd.get("url"):
                self.fail(name, "Extension.url is not fixed to the extension's url")

    def check_slice(self, name, snapshot, by_id, e):
        where = f"{name} snapshot {e['id']}"
        sliced_id = e["id"].rsplit(":", 1)[0]
        if not e["id"].endswith(":" + e["sliceName"]):
            self.fail(where, f"sliceName {e['sliceName']} does not end the id")
        sliced = snapshot[by_id[sliced_id]] if sliced_id in by_id else None
        if sliced is None:
            self.fail(where, f"slices {sliced_id}, which is not in the snapshot")
            return
        if by_id[sliced_id] > by_id[e["id"]]:
            self.fail(where, "comes before the element it slices")
        slicing = sliced.get("slicing", {})
        discriminators = slicing.get("discriminator", [])
        if not discriminators or slicing.get("rules") not in ("open", "closed", "openAtEnd"):
            self.fail(where, f"{sliced_id} has no slicing discriminator and rules")
        for d in discriminators:
            if d.get("type") == "pattern":
                target_id = e["id"] if d.get("path") == "$this" else f"{e['id']}.{d.get('path')}"
                target = snapshot[by_id[target_id]] if target_id in by_id else {}
                if not any(k.startswith(("pattern", "fixed")) for k in target):
                    self.fail(where, f"has no pattern at {d.get('path')}, its discriminator")
            elif d.get("type") == "value" and d.get("path") == "url":
                profiles = [p for t in e.get("type", []) for p in t.get("profile", [])]
                url_el = snapshot[by_id[e["id"] + ".url"]] if e["id"] + ".url" in by_id else {}
                if not profiles and "fixedUri" not in url_el:
                    self.fail(where, "an extension slice needs the extension's profile or a fixed url")

    # -- terminology and references ---------------------------------------------------------
    def our_code_systems(self):
        systems = {}
        for name, r in self.resources.items():
            if r.get("resourceType") != "CodeSystem":
                continue
            concepts = r.get("concept", [])
            codes = [c.get("code") for c in concepts]
            if len(set(codes)) != len(codes):
                self.fail(name, "has duplicate codes")
            if r.get("count") != len(codes):
                self.fail(name, f"count {r.get('count')} is not the {len(codes)} concepts")
            if r.get("content") != "complete" or r.get("caseSensitive") is not True:
                self.fail(name, "must be content complete and caseSensitive")
            declared = {p.get("code") for p in r.get("property", [])}
            for c in concepts:
                if not c.get("display") or not c.get("definition"):
                    self.fail(name, f"code {c.get('code')} needs a display and a definition")
                for p in c.get("property", []):
                    if p.get("code") not in declared:
                        self.fail(name, f"code {c.get('code')} uses undeclared property {p.get('code')}")
            systems[r.get("url")] = {c.get("code"): c.get("display") for c in concepts}
        return systems

    def check_codes_and_links(self, canonical):
        systems = self.our_code_systems()
        urls = {r.get("url") for r in self.resources.values()}
        for name, r in self.resources.items():
            for path, value in walk(r):
                key = path[-1] if path else ""
                if isinstance(value, dict) and "system" in value and "code" in value and key != "include":
                    system, code = value["system"], value["code"]
                    if system in systems and code not in systems[system]:
                        self.fail(name, f"{'.'.join(map(str, path))}: code {code} is not in {system}")
                if isinstance(value, str) and value.startswith(canonical + "/") and key in (
                        "valueSet", "profile", "targetProfile", "supportedProfile", "system", "fixedUri"):
                    if value not in urls:
                        self.fail(name, f"{'.'.join(map(str, path))}: {value} is not in the package")
            if r.get("resourceType") == "ValueSet":
                for inc in r.get("compose", {}).get("include", []):
                    system = inc.get("system")
                    if system and system.startswith(canonical + "/") and system not in systems:
                        self.fail(name, f"includes {system}, which is not in the package")
                    for c in inc.get("concept", []):
                        if system in systems and c.get("code") not in systems[system]:
                            self.fail(name, f"includes code {c.get('code')}, which is not in {system}")
        return systems

    def check_terminology_source(self, systems, repo):
        """The package and fhir/terminology must agree on every code."""
        hpp_path = os.path.join(repo, "fhir", "terminology", "codes.hpp")
        cpp_path = os.path.join(repo, "fhir", "terminology", "codes.cpp")
        try:
            hpp = open(hpp_path, encoding="utf-8").read()
            cpp = open(cpp_path, encoding="utf-8").read()
        except OSError as e:
            self.fail("fhir/terminology", f"cannot be read: {e}")
            return
        base = re.search(r'kBase = "([^"]+)"', hpp).group(1)
        system_names = {m.group(1): base + "/CodeSystem/" + m.group(2) for m in re.finditer(
            r'(k\w+System) = "' + re.escape(base) + r'/CodeSystem/([^"]+)"', hpp)}
        for m in re.finditer(r'Coding (k\w+)\{(k\w+System), "([^"]+)", "([^"]+)"\}', hpp):
            system = system_names.get(m.group(2))
            if system in systems and systems[system].get(m.group(3)) != m.group(4):
                self.fail("codes.hpp", f"{m.group(1)} {m.group(3)} {m.group(4)!r} is not in {system} as such")
        for m in re.finditer(r'Coding\{(k\w+System), "([^"]+)", "([^"]+)"\}', cpp):
            system = system_names.get(m.group(1))
            if system in systems and systems[system].get(m.group(2)) != m.group(3):
                self.fail("codes.cpp", f"{m.group(2)} {m.group(3)!r} is not in {system} as such")
        vs = self.resources.get("ValueSet-body-site.json", {})
        body = {c["code"] for inc in vs.get("compose", {}).get("include", []) for c in inc.get("concept", [])}
        source = set()
        for table in ("kLevelCodes", "kRegionCodes"):
            block = re.search(table + r"\s*=\s*\{(.*?)\};", cpp, re.S)
            if block is None:
                self.fail("codes.cpp", f"has no {table}")
                continue
            source |= {c for c in re.findall(r'"(\d*)"', block.group(1)) if c}
        if source != body:
            self.fail("ValueSet-body-site.json", f"differs from codes.cpp: only in the value set "
                      f"{sorted(body - source)}, only in codes.cpp {sorted(source - body)}")
        grades = systems.get(base + "/CodeSystem/restriction-grade", {})
        if sorted(grades) != ["0", "1", "2", "3"]:
            self.fail("CodeSystem-restriction-grade.json", f"codes are {sorted(grades)}, not 0-3")

    def check_capability_statement(self, name, cs, urls):
        if cs.get("kind") not in ("instance", "capability"):
            self.fail(name, "kind is not instance or capability")
        if cs.get("kind") == "capability" and (not cs.get("software") or cs.get("implementation")):
            self.fail(name, "a capability statement needs software and no implementation (cpb-15)")
        if "json" not in cs.get("format", []):
            self.fail(name, "format does not list json")
        rest = cs.get("rest", [])
        if not rest or rest[0].get("mode") != "server":
            self.fail(name, "needs a rest entry in server mode")
            return
        types = {r.get("type"): r for r in rest[0].get("resource", [])}
        # What the server really serves (test_server compares this rest part with GET /metadata):
        # Procedure, Observation and the partners' Subscriptions, nothing it does not serve.
        if set(types) != {"Procedure", "Observation", "Subscription"}:
            self.fail(name, f"describes {sorted(types)}; the server serves Procedure, Observation and Subscription")
        topic_ext = ("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
                     "capabilitystatement-subscriptiontopic-canonical")
        topics = [e.get("valueCanonical") for e in types.get("Subscription", {}).get("extension", [])
                  if e.get("url") == topic_ext]
        if topics != ["https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record"]:
            self.fail(name, f"Subscription lists the topics {topics}, not skin-rolling-record")
        for rtype in ("Procedure", "Observation"):
            for p in types.get(rtype, {}).get("supportedProfile", []):
                if p not in urls:
                    self.fail(name, f"{rtype} supportedProfile {p} is not in the package")
        system = {i.get("code") for i in rest[0].get("interaction", [])}
        if not {"transaction", "batch"} <= system:
            self.fail(name, "does not offer transaction and batch")
        operations = {o.get("definition") for o in rest[0].get("operation", [])}
        for definition in ("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
                           "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"):
            if definition not in operations:
                self.fail(name, f"does not list the operation {definition}")

    def value_sets(self):
        """url -> {system: set of codes}; a whole-system include of our CodeSystem lists its codes."""
        value_sets = {}
        for r in self.resources.values():
            if r.get("resourceType") != "ValueSet":
                continue
            members = value_sets.setdefault(r.get("url"), {})
            for inc in r.get("compose", {}).get("include", []):
                codes = {c.get("code") for c in inc.get("concept", [])}
                whole = next((set(c.get("code") for c in cs.get("concept", [])) for cs in self.resources.values()
                              if cs.get("resourceType") == "CodeSystem" and cs.get("url") == inc.get("system")), None)
                members[inc.get("system")] = codes or whole
        return value_sets

    def check_instance(self, r, where, covered):
        """Checks a resource (a Bundle's entries too) against the profiles it claims."""
        profiles = {x.get("url"): x for x in self.resources.values() if x.get("resourceType") == "StructureDefinition"}
        if r.get("resourceType") == "Bundle":
            for i, entry in enumerate(r.get("entry", [])):
                if isinstance(entry.get("resource"), dict):
                    self.check_instance(entry["resource"], f"{where} entry[{i}]", covered)
            return
        for url in r.get("meta", {}).get("profile", []):
            sd = profiles.get(url)
            if sd is None:
                self.fail(where, f"claims {url}, which is not in the package")
                continue
            covered.add(url)
            InstanceValidator(sd["snapshot"]["element"], self.fail, where, self.value_sets()).validate(r)
            # The extensions the instance uses are checked against their definitions too.
            for path, value in walk(r):
                if isinstance(value, dict) and value.get("url") in profiles and "resourceType" not in value:
                    covered.add(value["url"])
                    InstanceValidator(profiles[value["url"]]["snapshot"]["element"], self.fail,
                                      where + "." + ".".join(map(str, path)), self.value_sets()).validate(value)

    def check_instances(self, folder, label, wanted):
        """Every JSON file in folder conforms to the profiles it claims; each url in wanted is used."""
        if not os.path.isdir(folder):
            self.fail(folder, "is not a folder")
            return []
        names = sorted(n for n in os.listdir(folder) if n.endswith(".json") and not n.startswith("."))
        covered = set()
        for name in names:
            where = f"{label}/{name}"
            try:
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    r = json.load(f)
            except (OSError, ValueError) as e:
                self.fail(where, f"cannot be read as JSON: {e}")
                continue
            self.check_instance(r, where, covered)
        for url in sorted(set(wanted) - covered):
            self.fail(label, f"no instance uses {url}")
        return names

    def check_examples(self):
        folder = os.path.join(self.dir, "example")
        profiles = [r.get("url") for r in self.resources.values() if r.get("resourceType") == "StructureDefinition"]
        names = self.check_instances(folder, "example", profiles)
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                r = json.load(f)
            if name != f"{r.get('resourceType')}-{r.get('id')}.json":
                self.fail(f"example/{name}", "file name does not match resourceType-id.json")
        index = {}
        try:
            with open(os.path.join(folder, ".index.json"), encoding="utf-8") as f:
                index = {e.get("filename"): e for e in json.load(f).get("files", [])}
        except (OSError, ValueError) as e:
            self.fail("example/.index.json", f"cannot be read as JSON: {e}")
        if set(index) != set(names):
            self.fail("example/.index.json", f"lists {sorted(index)}, the folder holds {sorted(names)}")

    def run(self, repo):
        self.check_files()
        pkg = self.check_package_json()
        self.check_index()
        for name, r in sorted(self.resources.items()):
            self.check_resource(name, r, pkg)
            if r.get("resourceType") == "StructureDefinition":
                self.check_structure_definition(name, r)
        canonical = pkg.get("canonical", "") if pkg else ""
        systems = self.check_codes_and_links(canonical)
        urls = {r.get("url") for r in self.resources.values()}
        for name, r in self.resources.items():
            if r.get("resourceType") == "CapabilityStatement":
                self.check_capability_statement(name, r, urls)
        kinds = sorted(r.get("resourceType") + "/" + r.get("id", "") for r in self.resources.values())
        for wanted in ("StructureDefinition/mfr-skin-rolling-procedure", "StructureDefinition/mfr-skin-rolling-finding",
                       "StructureDefinition/laterality", "CodeSystem/mfr", "CodeSystem/restriction-grade",
                       "CodeSystem/release-response", "ValueSet/laterality", "ValueSet/body-site",
                       "CapabilityStatement/mfr-fhir-server"):
            if wanted not in kinds:
                self.fail(self.dir, f"has no {wanted}")
        self.check_examples()
        if repo:
            self.check_terminology_source(systems, repo)
        return self.problems


# -- examples against the profiles' snapshots ----------------------------------------------------
def type_suffix(code):
    return code[0].upper() + code[1:]


def matches_pattern(value, pattern):
    """FHIR pattern[x]: every element of the pattern appears in the value (arrays: each item somewhere)."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(k in value and matches_pattern(value[k], v) for k, v in pattern.items())
    if isinstance(pattern, list):
        return isinstance(value, list) and all(any(matches_pattern(x, p) for x in value) for p in pattern)
    return value == pattern


class InstanceValidator:
    """Walks an instance along a snapshot: cardinality, types of choices, fixed and pattern
    values, slices by pattern and by extension url, and unknown elements. It is no full FHIR
    validator (no FHIRPath, no terminology), but it catches a profile that our own data breaks."""

    def __init__(self, snapshot, fail, where, value_sets=None):
        self.value_sets = value_sets or {}  # url -> {system: set of codes, or None for all}
        self.elements = snapshot
        self.by_id = {e["id"]: e for e in snapshot}
        self.fail = lambda msg: fail(where, msg)

    def children(self, element_id):
        out = []
        for e in self.elements:
            eid = e["id"]
            if eid.startswith(element_id + ".") and "." not in eid[len(element_id) + 1:] \
                    and ":" not in eid[len(element_id) + 1:]:
                out.append(e)
        return out

    def slices(self, element_id):
        return [e for e in self.elements if e["id"].startswith(element_id + ":")
                and "." not in e["id"][len(element_id) + 1:] and ":" not in e["id"][len(element_id) + 1:]]

    def validate(self, resource):
        root = self.elements[0]
        self.check_object(resource, root["id"], root["path"], skip={"resourceType"})

    def check_object(self, obj, element_id, where, skip=()):
        if not isinstance(obj, dict):
            return
        known = set(skip)
        for child in self.children(element_id):
            name = child["id"].rsplit(".", 1)[1]
            if name.endswith("[x]"):
                stem = name[:-3]
                keys = [k for k in obj if k.startswith(stem) and k[len(stem):][:1].isupper()]
                allowed = {type_suffix(t["code"]) for t in child.get("type", [])}
                for k in keys:
                    if k[len(stem):] not in allowed:
                        self.fail(f"{where}.{k} is not allowed: {child['id']} takes {sorted(allowed)}")
                known.update(keys)
                known.update("_" + k for k in keys)
                values = [obj[k] for k in keys]
                self.check_values(values, child, f"{where}.{keys[0] if keys else name}")
            else:
                known.update((name, "_" + name))
                if "contentReference" in child:
                    continue  # e.g. component.referenceRange: checked by the base definition
                value = obj.get(name)
                values = [] if value is None else (value if isinstance(value, list) else [value])
                self.check_values(values, child, f"{where}.{name}")
        for k in obj:
            if k not in known:
                self.fail(f"{where}.{k} is not an element of {element_id}")

    def check_values(self, values, element, where):
        n = len(values)
        if n < element["min"]:
            self.fail(f"{where}: {n} value(s), {element['id']} needs at least {element['min']}")
        if element["max"] != "*" and n > int(element["max"]):
            self.fail(f"{where}: {n} value(s), {element['id']} allows at most {element['max']}")
        for i, v in enumerate(values):
            self.check_value(v, element, f"{where}[{i}]" if n > 1 else where)
        slicing = element.get("slicing")
        if slicing:
            if slicing.get("rules") == "closed":
                for i, v in enumerate(values):
                    if not any(self.in_slice(v, s, slicing) for s in self.slices(element["id"])):
                        self.fail(f"{where}[{i}] is in no slice of {element['id']} (closed slicing)")
            for s in self.slices(element["id"]):
                matched = [v for v in values if self.in_slice(v, s, slicing)]
                if len(matched) < s["min"]:
                    self.fail(f"{where}: slice {s['sliceName']} needs at least {s['min']} value(s), has {len(matched)}")
                if s["max"] != "*" and len(matched) > int(s["max"]):
                    self.fail(f"{where}: slice {s['sliceName']} allows {s['max']} value(s), has {len(matched)}")
                for v in matched:
                    self.check_value(v, s, f"{where}:{s['sliceName']}")

    def in_slice(self, value, s, slicing):
        for d in slicing["discriminator"]:
            if d["type"] == "pattern":
                target = s if d["path"] == "$this" else self.by_id.get(f"{s['id']}.{d['path']}", {})
                sub = value if d["path"] == "$this" else (value.get(d["path"]) if isinstance(value, dict) else None)
                pattern = next((v for k, v in target.items() if k.startswith(("pattern", "fixed"))), None)
                if pattern is None or not matches_pattern(sub, pattern):
                    return False
            elif d["type"] == "value" and d["path"] == "url":
                urls = [p for t in s.get("type", []) for p in t.get("profile", [])]
                fixed = self.by_id.get(f"{s['id']}.url", {}).get("fixedUri")
                if not isinstance(value, dict) or value.get("url") not in urls + ([fixed] if fixed else []):
                    return False
            else:
                return False
        return True

    def check_value(self, value, element, where):
        for k, v in element.items():
            if k.startswith("pattern") and not matches_pattern(value, v):
                self.fail(f"{where} does not match {element['id']} {k}")
            if k.startswith("fixed") and value != v:
                self.fail(f"{where} is not the fixed value of {element['id']}")
        if "minValueInteger" in element and isinstance(value, int) and value < element["minValueInteger"]:
            self.fail(f"{where} is below {element['minValueInteger']}")
        if "maxValueInteger" in element and isinstance(value, int) and value > element["maxValueInteger"]:
            self.fail(f"{where} is above {element['maxValueInteger']}")
        binding = element.get("binding", {})
        members = self.value_sets.get(binding.get("valueSet"))
        if binding.get("strength") == "required" and members is not None and isinstance(value, dict):
            codings = value.get("coding", [])
            if not any(c.get("system") in members and (members[c["system"]] is None or c.get("code") in members[c["system"]])
                       for c in codings):
                self.fail(f"{where} has no code from {binding['valueSet']} (required)")
        if isinstance(value, dict) and self.children(element["id"]):
            self.check_object(value, element["id"], where)


def id_path(element_id):
    return ".".join(part.split(":", 1)[0] for part in element_id.split("."))


def walk(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, path + (i,))


def main(argv):
    args = argv[1:]
    instances = None
    if len(args) == 3 and args[1] == "--instances":
        # Only the instances: what fhir/codec writes, against the package's profiles.
        package_dir, instances = args[0], args[2]
    elif len(args) in (1, 2):
        package_dir = args[0]
    else:
        print("usage: check_package.py <package dir> [<repository root>]\n"
              "       check_package.py <package dir> --instances <folder of resources>", file=sys.stderr)
        return 2
    checker = Checker(package_dir)
    if instances is not None:
        checker.check_files()
        profiles = [r.get("url") for r in checker.resources.values()
                    if r.get("resourceType") == "StructureDefinition" and r.get("type") != "Extension"]
        checker.check_instances(instances, instances, profiles)
        problems = checker.problems
    else:
        # The package sits at <repo>/packaging/fhir/package; the terminology check needs the repo.
        repo = args[1] if len(args) == 2 else os.path.normpath(os.path.join(package_dir, "..", "..", ".."))
        if not os.path.isdir(os.path.join(repo, "fhir", "terminology")):
            print(f"check_package.py: {repo} is not the mfr-fhir repository", file=sys.stderr)
            return 2
        problems = checker.run(repo)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s) in {instances or package_dir}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
