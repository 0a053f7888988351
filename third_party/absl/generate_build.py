#!/usr/bin/env python3
"""Regenerates the BUILD files of the @com_google_absl shim repository.

Reads Debian's pkg-config files for Abseil (/usr/lib/<multiarch>/pkgconfig/
absl_*.pc, from libabsl-dev) and writes:

  third_party/absl/BUILD.bazel
      one cc_library per pkg-config module, named after it without the
      "absl_" prefix (e.g. //:status, //:random_internal_randen). Each links
      the module's shared library (when it has one), the module's extra link
      flags, and depends on the modules its "Requires:" line names, so linking
      follows Abseil's own dependency graph.
  third_party/absl/absl/<package>/BUILD.bazel
      the canonical upstream labels (@com_google_absl//absl/status:statusor,
      ...) as aliases of those modules; see CANONICAL below.

Headers are not declared: they are in /usr/include, one of the compiler's
built-in system include directories, so they are found (and their warnings
silenced) without any -I flag.

Run from anywhere after libabsl-dev changes (the output is committed):
    python3 third_party/absl/generate_build.py
"""

import collections
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# pkg-config module (without "absl_") -> canonical "package:target" upstream.
# Modules not listed here (CMake-only aggregates such as "meta", "numeric",
# "debugging") are reachable only as @com_google_absl//:<module>.
CANONICAL = {
    "algorithm": "algorithm:algorithm",
    "algorithm_container": "algorithm:container",
    "any": "types:any",
    "any_invocable": "functional:any_invocable",
    "atomic_hook": "base:atomic_hook",
    "bad_any_cast": "types:bad_any_cast",
    "bad_any_cast_impl": "types:bad_any_cast_impl",
    "bad_optional_access": "types:bad_optional_access",
    "bad_variant_access": "types:bad_variant_access",
    "base": "base:base",
    "base_internal": "base:base_internal",
    "bind_front": "functional:bind_front",
    "bits": "numeric:bits",
    "btree": "container:btree",
    "city": "hash:city",
    "civil_time": "time/internal/cctz:civil_time",
    "cleanup": "cleanup:cleanup",
    "cleanup_internal": "cleanup:cleanup_internal",
    "compare": "types:compare",
    "compressed_tuple": "container:compressed_tuple",
    "config": "base:config",
    "container_common": "container:common",
    "container_memory": "container:container_memory",
    "cord": "strings:cord",
    "cord_internal": "strings:cord_internal",
    "cordz_functions": "strings:cordz_functions",
    "cordz_handle": "strings:cordz_handle",
    "cordz_info": "strings:cordz_info",
    "cordz_sample_token": "strings:cordz_sample_token",
    "cordz_statistics": "strings:cordz_statistics",
    "cordz_update_scope": "strings:cordz_update_scope",
    "cordz_update_tracker": "strings:cordz_update_tracker",
    "core_headers": "base:core_headers",
    "counting_allocator": "container:counting_allocator",
    "debugging_internal": "debugging:debugging_internal",
    "demangle_internal": "debugging:demangle_internal",
    "dynamic_annotations": "base:dynamic_annotations",
    "endian": "base:endian",
    "errno_saver": "base:errno_saver",
    "examine_stack": "debugging:examine_stack",
    "exponential_biased": "profiling:exponential_biased",
    "failure_signal_handler": "debugging:failure_signal_handler",
    "fast_type_id": "base:fast_type_id",
    "fixed_array": "container:fixed_array",
    "flags": "flags:flag",
    "flags_commandlineflag": "flags:commandlineflag",
    "flags_commandlineflag_internal": "flags:commandlineflag_internal",
    "flags_config": "flags:config",
    "flags_internal": "flags:flag_internal",
    "flags_marshalling": "flags:marshalling",
    "flags_parse": "flags:parse",
    "flags_path_util": "flags:path_util",
    "flags_private_handle_accessor": "flags:private_handle_accessor",
    "flags_program_name": "flags:program_name",
    "flags_reflection": "flags:reflection",
    "flags_usage": "flags:usage",
    "flags_usage_internal": "flags:usage_internal",
    "flat_hash_map": "container:flat_hash_map",
    "flat_hash_set": "container:flat_hash_set",
    "function_ref": "functional:function_ref",
    "graphcycles_internal": "synchronization:graphcycles_internal",
    "hash": "hash:hash",
    "hash_function_defaults": "container:hash_function_defaults",
    "hash_policy_traits": "container:hash_policy_traits",
    "hashtable_debug": "container:hashtable_debug",
    "hashtable_debug_hooks": "container:hashtable_debug_hooks",
    "hashtablez_sampler": "container:hashtablez_sampler",
    "inlined_vector": "container:inlined_vector",
    "inlined_vector_internal": "container:inlined_vector_internal",
    "int128": "numeric:int128",
    "kernel_timeout_internal": "synchronization:kernel_timeout_internal",
    "layout": "container:layout",
    "leak_check": "debugging:leak_check",
    "log_severity": "base:log_severity",
    "low_level_hash": "hash:low_level_hash",
    "malloc_internal": "base:malloc_internal",
    "memory": "memory:memory",
    "node_hash_map": "container:node_hash_map",
    "node_hash_set": "container:node_hash_set",
    "node_slot_policy": "container:node_slot_policy",
    "numeric_representation": "numeric:representation",
    "optional": "types:optional",
    "periodic_sampler": "profiling:periodic_sampler",
    "prefetch": "base:prefetch",
    "pretty_function": "base:pretty_function",
    "random_bit_gen_ref": "random:bit_gen_ref",
    "random_distributions": "random:distributions",
    "random_random": "random:random",
    "random_seed_gen_exception": "random:seed_gen_exception",
    "random_seed_sequences": "random:seed_sequences",
    "raw_hash_map": "container:raw_hash_map",
    "raw_hash_set": "container:raw_hash_set",
    "raw_logging_internal": "base:raw_logging_internal",
    "sample_recorder": "profiling:sample_recorder",
    "scoped_set_env": "base:scoped_set_env",
    "span": "types:span",
    "spinlock_wait": "base:spinlock_wait",
    "stacktrace": "debugging:stacktrace",
    "status": "status:status",
    "statusor": "status:statusor",
    "str_format": "strings:str_format",
    "str_format_internal": "strings:str_format_internal",
    "strerror": "base:strerror",
    "strings": "strings:strings",
    "strings_internal": "strings:internal",
    "symbolize": "debugging:symbolize",
    "synchronization": "synchronization:synchronization",
    "throw_delegate": "base:throw_delegate",
    "time": "time:time",
    "time_zone": "time/internal/cctz:time_zone",
    "type_traits": "meta:type_traits",
    "utility": "utility:utility",
    "variant": "types:variant",
}
# random_internal_<x> -> random/internal:<x>
for _m in ("distribution_caller", "distribution_test_util", "fast_uniform_bits",
           "fastmath", "generate_real", "iostream_state_saver", "mock_helpers",
           "nonsecure_base", "pcg_engine", "platform", "pool_urbg", "randen",
           "randen_engine", "randen_hwaes", "randen_hwaes_impl", "randen_slow",
           "salted_seed_seq", "seed_material", "traits", "uniform_helper",
           "wide_multiply"):
    CANONICAL["random_internal_" + _m] = "random/internal:" + _m

# Header-only upstream targets that have no pkg-config module (CMake marks
# them TESTONLY and does not install a .pc), defined by hand in the root.
EXTRA_ROOT = '''
# absl/random/mocking_bit_gen.h and mock_distributions.h are header-only and
# need gMock (upstream: //absl/random:mocking_bit_gen, :mock_distributions).
cc_library(
    name = "random_mocking_bit_gen",
    testonly = True,
    deps = [
        ":flat_hash_map",
        ":fast_type_id",
        ":random_distributions",
        ":random_internal_distribution_caller",
        ":random_internal_mock_helpers",
        ":random_random",
        ":type_traits",
        ":utility",
        "@com_google_googletest//:gtest",
    ],
)
'''
EXTRA_CANONICAL = {
    "random_mocking_bit_gen": ["random:mocking_bit_gen", "random:mock_distributions"],
}

HEADER = """\
# GENERATED by third_party/absl/generate_build.py from Debian's libabsl-dev
# pkg-config files (Abseil {version}). Do not edit; rerun the script.
"""


def multiarch():
    try:
        out = subprocess.run(["gcc", "-print-multiarch"], capture_output=True,
                             text=True, check=True).stdout.strip()
        if out:
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    return "x86_64-linux-gnu"


def parse_pc(path):
    fields = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^(Requires|Libs|Version):\s*(.*)$", line.rstrip("\n"))
            if m:
                fields[m.group(1)] = m.group(2).strip()
    requires = []
    for item in fields.get("Requires", "").split(","):
        item = item.strip()
        if item:
            name = item.split()[0]
            assert name.startswith("absl_"), (path, name)
            requires.append(name[len("absl_"):])
    libs, linkopts = [], []
    tokens = fields.get("Libs", "").split()
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.startswith("-L"):
            pass
        elif t.startswith("-labsl_"):
            libs.append("lib" + t[2:] + ".so")
        elif t == "-Wl,--push-state,--as-needed":
            # "-Wl,--push-state,--as-needed -latomic -Wl,--pop-state": keep it
            # as one token so Bazel cannot reorder or deduplicate its parts.
            group = [t]
            while i + 1 < len(tokens):
                i += 1
                group.append(tokens[i])
                if tokens[i] == "-Wl,--pop-state":
                    break
            linkopts.append("-Wl," + ",".join(
                g[len("-Wl,"):] if g.startswith("-Wl,") else g for g in group))
        else:
            linkopts.append(t)
        i += 1
    return fields.get("Version", "?"), requires, libs, linkopts


def fmt_list(items, indent):
    if not items:
        return "[]"
    if len(items) == 1:
        return '["%s"]' % items[0]
    pad = " " * indent
    return "[\n" + "".join('%s    "%s",\n' % (pad, x) for x in items) + pad + "]"


def main():
    pcdir = "/usr/lib/%s/pkgconfig" % multiarch()
    modules = {}
    version = "?"
    for fn in sorted(os.listdir(pcdir)):
        if fn.startswith("absl_") and fn.endswith(".pc"):
            version, req, libs, linkopts = parse_pc(os.path.join(pcdir, fn))
            modules[fn[len("absl_"):-len(".pc")]] = (req, libs, linkopts)
    if not modules:
        sys.exit("no absl_*.pc in %s: is libabsl-dev installed?" % pcdir)
    missing = sorted(set(CANONICAL) - set(modules))
    if missing:
        sys.exit("CANONICAL names modules this Abseil lacks: %s" % missing)

    out = [HEADER.format(version=version), """\
# One cc_library per pkg-config module; the canonical upstream labels in
# absl/**/BUILD.bazel are aliases of these. The shared libraries come from
# @debian_usr (/usr), see third_party/debian_usr.BUILD.

package(default_visibility = ["//visibility:public"])

licenses(["notice"])  # Apache 2.0
"""]
    for name in sorted(modules):
        req, libs, linkopts = modules[name]
        out.append("cc_library(")
        out.append('    name = "%s",' % name)
        if libs:
            out.append("    srcs = %s," % fmt_list(["@debian_usr//:" + l for l in libs], 4))
        if linkopts:
            out.append("    linkopts = %s," % fmt_list(linkopts, 4))
        if req:
            out.append("    deps = %s," % fmt_list([":" + r for r in sorted(set(req))], 4))
        out.append(")\n")
    out.append(EXTRA_ROOT)
    out.append("""
# Everything at once, for quick experiments.
cc_library(
    name = "absl",
    deps = %s,
)
""" % fmt_list([":" + m for m in sorted(modules)], 4))
    with open(os.path.join(HERE, "BUILD.bazel"), "w") as f:
        f.write("\n".join(out))

    packages = collections.defaultdict(list)
    for module, canon in sorted(CANONICAL.items()):
        pkg, target = canon.split(":")
        packages[pkg].append((target, module))
    for module, canons in EXTRA_CANONICAL.items():
        for canon in canons:
            pkg, target = canon.split(":")
            packages[pkg].append((target, module))
    # Remove stale generated package files first.
    absl_dir = os.path.join(HERE, "absl")
    for root, _, files in os.walk(absl_dir):
        for fn in files:
            if fn == "BUILD.bazel":
                os.remove(os.path.join(root, fn))
    for pkg, targets in sorted(packages.items()):
        d = os.path.join(absl_dir, pkg)
        os.makedirs(d, exist_ok=True)
        lines = [HEADER.format(version=version),
                 'package(default_visibility = ["//visibility:public"])\n']
        for target, module in sorted(targets):
            testonly = "    testonly = True,\n" if module in EXTRA_CANONICAL else ""
            lines.append('alias(\n    name = "%s",\n    actual = "//:%s",\n%s)\n'
                         % (target, module, testonly))
        with open(os.path.join(d, "BUILD.bazel"), "w") as f:
            f.write("\n".join(lines))
    print("wrote %d modules, %d packages (Abseil %s, %s)"
          % (len(modules), len(packages), version, pcdir))


if __name__ == "__main__":
    main()
