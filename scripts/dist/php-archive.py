#!/usr/bin/env python3
"""Writes the PHP package archive that Composer installs: a zip of bindings/php with the prebuilt
libraries under lib/<platform>/ and the C header in lib/.

    php-archive.py --package bindings/php --libs DIR --header include/inpost_quick_returns.h \
                   --version 0.1.0 --out dist/inpost-quick-returns-php-0.1.0.zip

DIR holds <platform>/<library file> folders. The zip is the same bytes for the same inputs:
entries sorted, every date SOURCE_DATE_EPOCH, fixed permissions (0644, 0755 for bin/), no owner.

A shop gets what runs in production and nothing else: composer.json (with a version, which
Composer's artifact repository needs, and without autoload-dev), README.md, autoload.php,
preload.php, bin/, src/ and lib/. Left out: tests/, bench/, phpunit.xml.dist, vendor/, and any
lib/*.preload.h (it names a library by the builder's absolute path).
"""

import argparse
import json
import os
import sys
import time
import zipfile

SHIPPED_FILES = ["README.md", "autoload.php", "preload.php"]
SHIPPED_DIRS = {"bin": 0o755, "src": 0o644}


def package_files(package):
    """(path in archive, source path, mode) for the package's own files."""
    files = [(name, os.path.join(package, name), 0o644) for name in SHIPPED_FILES]
    for folder, mode in SHIPPED_DIRS.items():
        for root, dirs, names in os.walk(os.path.join(package, folder)):
            dirs.sort()
            for name in names:
                source = os.path.join(root, name)
                files.append((os.path.relpath(source, package).replace(os.sep, "/"), source, mode))
    return files


def composer_json(package, version):
    with open(os.path.join(package, "composer.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    shipped = {}
    for key, value in manifest.items():
        if key == "autoload-dev":
            continue
        shipped[key] = value
        if key == "name":
            shipped["version"] = version
    return (json.dumps(shipped, indent=4, ensure_ascii=False) + "\n").encode("utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", required=True)
    parser.add_argument("--libs", required=True)
    parser.add_argument("--header", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--require-platforms", default="", help="comma-separated; fail if one is missing")
    args = parser.parse_args()

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    date_time = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    top = os.path.splitext(os.path.basename(args.out))[0]

    entries = [("composer.json", composer_json(args.package, args.version), 0o644)]
    for name, source, mode in package_files(args.package):
        with open(source, "rb") as f:
            entries.append((name, f.read(), mode))
    with open(args.header, "rb") as f:
        entries.append(("lib/" + os.path.basename(args.header), f.read(), 0o644))
    platforms = sorted(p for p in os.listdir(args.libs) if os.path.isdir(os.path.join(args.libs, p)))
    for platform in platforms:
        for name in sorted(os.listdir(os.path.join(args.libs, platform))):
            with open(os.path.join(args.libs, platform, name), "rb") as f:
                entries.append((f"lib/{platform}/{name}", f.read(), 0o644))
    missing = [p for p in args.require_platforms.split(",") if p and p not in platforms]
    if missing:
        sys.exit(f"php-archive: no library for {', '.join(missing)} in {args.libs}")

    folders = set()
    for name, _, _ in entries:
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            folders.add("/".join(parts[:i]) + "/")
    items = [(f, None, 0o755) for f in folders] + entries
    items.sort(key=lambda item: item[0])

    tmp = args.out + ".tmp"
    with zipfile.ZipFile(tmp, "w") as archive:
        for name, data, mode in [(top + "/", None, 0o755)] + [(f"{top}/{n}", d, m) for n, d, m in items]:
            info = zipfile.ZipInfo(name, date_time)
            info.create_system = 3  # unix: the mode below is kept on extraction
            if data is None:
                info.external_attr = (0o40000 | mode) << 16 | 0x10
                archive.writestr(info, b"")
            else:
                info.external_attr = (0o100000 | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data, compresslevel=9)
    os.replace(tmp, args.out)
    print(f"php-archive: {args.out} ({os.path.getsize(args.out)} bytes, {len(platforms)} platform(s): {', '.join(platforms)})")


if __name__ == "__main__":
    main()
