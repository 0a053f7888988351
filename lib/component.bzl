"""sluice_component: one component of the library (lib/<component>/).

    load("//lib:component.bzl", "public_headers", "sluice_component")

    sluice_component(
        name = "gates",
        public_hdrs = public_headers(["gates.h", "verdict.h"]),
        deps = ["core", "stats"],
    )

makes, in package //lib/<name> (the same names as CMake's sluice_<name>):
  * //lib/<name> (cc_library): every lib/<name>/*.cc; its public headers
    `public_hdrs` (files below include/, included as "sluice/x.h"); linked
    with the components `deps` (which must be below it) and nothing above.
  * //lib/<name>:private_hdrs (filegroup): lib/<name>/*.h (namespace
    sluice::internal, included as "lib/<name>/x.h") and the private headers
    of `deps`, for the component's own sources, the components above it and
    the component's tests. They are in the library's `srcs`, never its
    `hdrs`.

Layering is enforced by Bazel's sandbox and its check of each compile's
inclusions against declared inputs: a compile sees the headers of its own
target and of its (transitive) deps, nothing else, so including a header of
a component above fails to build ("No such file or directory", or
"undeclared inclusion(s)" when actions run unsandboxed). tests/layering/
proves it (CONTRIBUTING.md). Bazel passes the headers in a library's `srcs`
on to its dependents too, so, unlike in CMake, a dependent of a component
(e.g. //tools) could include its private headers; only the layering_check
feature (clang toolchains) would reject that.
"""

load("@rules_cc//cc:defs.bzl", "cc_library")
load("//third_party:copts.bzl", "SLUICE_COPTS")

# The Abseil libraries Sluice's headers and sources use (CMake's
# SLUICE_ABSL_LIBS).
SLUICE_ABSL_DEPS = [
    "@com_google_absl//absl/algorithm:container",
    "@com_google_absl//absl/base:core_headers",
    "@com_google_absl//absl/cleanup",
    "@com_google_absl//absl/container:btree",
    "@com_google_absl//absl/container:flat_hash_map",
    "@com_google_absl//absl/container:flat_hash_set",
    "@com_google_absl//absl/container:inlined_vector",
    "@com_google_absl//absl/functional:function_ref",
    "@com_google_absl//absl/hash",
    "@com_google_absl//absl/memory",
    "@com_google_absl//absl/numeric:bits",
    "@com_google_absl//absl/numeric:int128",
    "@com_google_absl//absl/random",
    "@com_google_absl//absl/random:distributions",
    "@com_google_absl//absl/status",
    "@com_google_absl//absl/status:statusor",
    "@com_google_absl//absl/strings",
    "@com_google_absl//absl/strings:str_format",
    "@com_google_absl//absl/synchronization",
    "@com_google_absl//absl/time",
    "@com_google_absl//absl/types:optional",
    "@com_google_absl//absl/types:span",
    "@com_google_absl//absl/types:variant",
]

def public_headers(names):
    """Labels of include/sluice/<name> for each name (e.g. "fleet.h")."""
    return ["//:include/sluice/" + n for n in names]

def sluice_component(name, public_hdrs, deps = [], extra_deps = [], testonly = False):
    """The library of component `name` and its private headers.

    Args:
      name: the component, also the folder (lib/<name>) and target name.
      public_hdrs: its public headers: labels of files below include/.
      deps: the components below it that it uses (names, e.g. "core").
      extra_deps: other libraries (e.g. GoogleTest for testing).
      testonly: for the testing component.
    """
    native.filegroup(
        name = "private_hdrs",
        srcs = native.glob(["*.h"]) + ["//lib/%s:private_hdrs" % d for d in deps],
        testonly = testonly,
        visibility = ["//lib:__subpackages__", "//tests:__subpackages__"],
    )
    cc_library(
        name = name,
        srcs = native.glob(["*.cc"]) + [":private_hdrs"],
        hdrs = public_hdrs,
        copts = SLUICE_COPTS,
        linkopts = ["-pthread"],
        strip_include_prefix = "/include",
        testonly = testonly,
        visibility = ["//visibility:public"],
        deps = ["//lib/" + d for d in deps] + SLUICE_ABSL_DEPS + extra_deps + [
            "//proto:sluice_proto",
            "@com_google_protobuf//:protobuf",
        ],
    )
