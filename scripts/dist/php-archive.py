#!/usr/bin/env python3
"""Writes the PHP package archive that Composer installs: a zip of bindings/php with the prebuilt
libraries under lib/<platform>/ and the C header in lib/.

    php-archive.py --package bindings/php --libs DIR --header include/inpost_quick_returns.h \
                   --version 0.1.0 --license LICENSE-MIT --license LICENSE-APACHE \
                   --repository https://github.com/OWNER/REPO \
                   --out dist/inpost-quick-returns-php-0.1.0.zip

DIR holds <platform>/<library file> folders. The zip is the same bytes for the same inputs:
entries sorted, every date SOURCE_DATE_EPOCH, fixed permissions (0644, 0755 for bin/), no owner.

A shop gets what runs in production and nothing else: composer.json (with a version, which
Composer's artifact repository needs, and without autoload-dev), README.md, the licence texts,
autoload.php, preload.php, bin/, src/ and lib/. Left out: tests/, bench/, phpunit.xml.dist,
vendor/, and any lib/*.preload.h (it names a library by the builder's absolute path).

README.md's relative links that leave the package folder (`../../examples/php/quickstart.php`)
would be dead inside the archive: they point at the repository (--repository) at the version's
tag instead, e.g. `https://github.com/OWNER/REPO/blob/v0.1.0/examples/php/quickstart.php`.
"""

import argparse
import json
import os
import posixpath
import re
import sys
import time
import zipfile

SHIPPED_FILES = ["autoload.php", "preload.php"]
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


def readme(package, root, repository, version, shipped):
    """The package's README.md with each relative link to something the archive does not hold
    (`../../examples/php/quickstart.php`, `tests/`) pointing at the repository at tag v<version>
    instead: blob/ for a file, tree/ for a folder. Links to anchors, to the web and to files the
    archive holds stay as they are; a link to a missing file stops the build."""
    with open(os.path.join(package, "README.md"), encoding="utf-8") as f:
        text = f.read()
    root = os.path.abspath(root)
    inside = os.path.relpath(os.path.abspath(package), root).replace(os.sep, "/")
    folders = set()
    for name in shipped:
        while "/" in name:
            name = posixpath.dirname(name)
            folders.add(name)

    def rewrite(match):
        target = match.group(2)
        path, _, anchor = target.partition("#")
        if path == "" or re.match(r"^[a-z][a-z0-9+.-]*:", path):
            return match.group(0)
        in_package = posixpath.normpath(path)
        if in_package in shipped or in_package.rstrip("/") in folders:
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(inside, path))
        if resolved == ".." or resolved.startswith("../") or not os.path.exists(os.path.join(root, resolved)):
            sys.exit(f"php-archive: README.md links to {target}, which is not in the repository")
        kind = "tree" if os.path.isdir(os.path.join(root, resolved)) else "blob"
        url = f"{repository.rstrip('/')}/{kind}/v{version}/{resolved}" + (f"#{anchor}" if anchor else "")
        return f"{match.group(1)}{url})"

    lines, fenced = [], False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        lines.append(line if fenced else re.sub(r"(\]\()([^)\s]+)\)", rewrite, line))
    return "".join(lines).encode("utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", required=True)
    parser.add_argument("--libs", required=True)
    parser.add_argument("--header", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--license", action="append", default=[], help="a licence text for the archive's top folder")
    parser.add_argument("--repository", required=True, help="the repository's web address, for README links")
    parser.add_argument("--root", default=".", help="the repository's folder (default: the current one)")
    parser.add_argument("--require-platforms", default="", help="comma-separated; fail if one is missing")
    args = parser.parse_args()

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    date_time = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    top = os.path.splitext(os.path.basename(args.out))[0]

    entries = [("composer.json", composer_json(args.package, args.version), 0o644)]
    for license_file in args.license:
        with open(license_file, "rb") as f:
            entries.append((os.path.basename(license_file), f.read(), 0o644))
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
    shipped = {name for name, _, _ in entries} | {"README.md"}
    entries.append(("README.md", readme(args.package, args.root, args.repository, args.version, shipped), 0o644))
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
