"""sluice_cc_proto_library: C++ code for .proto files, made by the system protoc.

Bazel 4.2's cc_proto_library needs the protobuf repository's Starlark rules
(and a protoc built from source), which an offline Debian machine does not
have. This macro instead runs Debian's protoc (@com_google_protobuf//:protoc,
i.e. /usr/bin/protoc) in a genrule and compiles the output against
@com_google_protobuf//:protobuf (libprotobuf.so).

    load("//third_party:proto.bzl", "sluice_cc_proto_library")

    # proto/BUILD.bazel
    sluice_cc_proto_library(
        name = "sluice_proto",
        srcs = glob(["sluice/v1/*.proto"]),
        visibility = ["//visibility:public"],
    )

makes, for each proto/sluice/v1/x.proto:
  * the import path "sluice/v1/x.proto" (paths are relative to the package,
    like protoc's --proto_path=proto), and
  * the header "sluice/v1/x.pb.h" (same path, .pb.h), in the cc_library
    //proto:sluice_proto, which C++ targets put in their deps.

Arguments:
  name: the cc_library to create. Also created: <name>_protos (a filegroup of
      these .proto files and those of deps, which a dependent's protoc reads)
      and <name>_genproto (the genrule).
  srcs: .proto files of this package (labels relative to it).
  deps: other sluice_cc_proto_library targets whose .proto files srcs import,
      as labels of their cc_library (":a_proto", "//proto/other:b_proto").
      They must share this target's import root. google/protobuf/*.proto
      (timestamp, duration, struct, any, wrappers, ...) need no dep: protoc
      finds them in /usr/include and libprotobuf.so holds their code.
  strip_import_prefix: where import paths start, like proto_library's
      attribute of that name: None (default) = this package's directory; a
      path starting with "/" is from the repository root (e.g. "/proto" for a
      BUILD file in proto/sluice/v1/ whose srcs are "x.proto").
  protoc: label of the protocol compiler.
  copts, visibility, testonly, tags: passed on to the cc_library (copts
      only to it: the genrule has none). No warning flags are applied to
      generated code by default.
"""

load("@rules_cc//cc:defs.bzl", "cc_library")

def _label_dir(repo, path):
    """Execution-root-relative directory of `path` (repo-relative) in `repo`."""
    if repo in ("", "@"):
        return path
    base = "external/" + repo.lstrip("@")
    return base + "/" + path if path else base

def _protos_label(dep):
    """The <name>_protos filegroup that belongs to a sluice_cc_proto_library."""
    if dep.startswith(":"):
        return dep + "_protos"
    if ":" in dep:
        return dep + "_protos"

    # "//a/b" means "//a/b:b".
    return "%s:%s_protos" % (dep, dep.split("/")[-1])

def sluice_cc_proto_library(
        name,
        srcs,
        deps = [],
        strip_import_prefix = None,
        protoc = "@com_google_protobuf//:protoc",
        copts = [],
        visibility = None,
        testonly = None,
        tags = [],
        **kwargs):
    pkg = native.package_name()
    repo = native.repository_name()

    # Import root, relative to the repository root.
    if strip_import_prefix == None:
        root = pkg
    elif strip_import_prefix.startswith("/"):
        root = strip_import_prefix[1:].rstrip("/")
    else:
        root = (pkg + "/" + strip_import_prefix).rstrip("/") if pkg else strip_import_prefix.rstrip("/")
    if root and pkg != root and not pkg.startswith(root + "/"):
        fail("strip_import_prefix %r: package %r is not under %r" % (strip_import_prefix, pkg, root))

    hdrs = []
    cc_srcs = []
    for src in srcs:
        if not src.endswith(".proto"):
            fail("sluice_cc_proto_library %s: %r is not a .proto file" % (name, src))
        if src.startswith(":") or src.startswith("//") or src.startswith("@"):
            fail("sluice_cc_proto_library %s: srcs must be files of this package, got %r" % (name, src))
        stem = src[:-len(".proto")]
        hdrs.append(stem + ".pb.h")
        cc_srcs.append(stem + ".pb.cc")

    native.filegroup(
        name = name + "_protos",
        srcs = srcs + [_protos_label(d) for d in deps],
        visibility = visibility,
        testonly = testonly,
        tags = tags,
    )

    root_dir = _label_dir(repo, root)
    native.genrule(
        name = name + "_genproto",
        srcs = srcs + [_protos_label(d) for d in deps],
        outs = hdrs + cc_srcs,
        tools = [protoc],
        cmd = " ".join([
            "$(execpath %s)" % protoc,
            "--proto_path=%s" % (root_dir or "."),
            "--cpp_out=$(GENDIR)/%s" % (root_dir or "."),
        ] + ["$(execpath %s)" % s for s in srcs]),
        message = "Generating C++ from protos for %s" % name,
        testonly = testonly,
        tags = tags,
        visibility = ["//visibility:private"],
    )

    cc_library(
        name = name,
        srcs = cc_srcs,
        hdrs = hdrs,
        # Headers are included by import path ("sluice/v1/x.pb.h"). When this
        # package is the import root, `includes` puts it on the -isystem path
        # (source and bin trees), so warnings in generated headers are not
        # reported in the targets that include them. Below the root, Bazel
        # allows no `includes` above the package; a virtual include tree
        # (-I, symlinks) is made instead.
        includes = ["."] if pkg == root else [],
        strip_include_prefix = None if pkg == root else "/" + root,
        copts = copts,
        deps = deps + ["@com_google_protobuf//:protobuf"],
        visibility = visibility,
        testonly = testonly,
        tags = tags,
        **kwargs
    )
