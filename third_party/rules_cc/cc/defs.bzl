"""Offline stand-in for rules_cc's cc/defs.bzl: the rules built into Bazel 4.2.

Bazel 4.2's own tools (@bazel_tools) load @rules_cc//cc:defs.bzl, and Bazel's
built-in WORKSPACE suffix would download rules_cc for that; WORKSPACE points
the name here instead. Sluice's BUILD files may load the same file, so they
also work unchanged with the real rules_cc (MODULE.bazel, Bazel 7+).
"""

def cc_binary(**attrs):
    native.cc_binary(**attrs)

def cc_import(**attrs):
    native.cc_import(**attrs)

def cc_library(**attrs):
    native.cc_library(**attrs)

def cc_proto_library(**attrs):
    native.cc_proto_library(**attrs)

def cc_test(**attrs):
    native.cc_test(**attrs)

def cc_toolchain(**attrs):
    native.cc_toolchain(**attrs)

def cc_toolchain_suite(**attrs):
    native.cc_toolchain_suite(**attrs)

def fdo_prefetch_hints(**attrs):
    native.fdo_prefetch_hints(**attrs)

def fdo_profile(**attrs):
    native.fdo_profile(**attrs)

def objc_import(**attrs):
    native.objc_import(**attrs)

def objc_library(**attrs):
    native.objc_library(**attrs)
