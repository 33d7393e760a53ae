#!/bin/sh
# Extracts the plugin's translatable strings into a .pot (default: languages/inpost-quick-returns.pot)
# and, when writing the real one, merges them into every languages/*.po (new strings come out
# untranslated; the tests fail until they are translated).
#
#     bindings/woocommerce/bin/make-pot.sh [OUT.pot]      (make woocommerce-pot)
set -eu
cd "$(dirname "$0")/.."
out="${1:-languages/inpost-quick-returns.pot}"
find . -name '*.php' -not -path './tests/*' -not -path './bin/*' -not -path './vendor/*' -not -path './node_modules/*' | LC_ALL=C sort > "${out}.files"
xgettext --language=PHP --from-code=UTF-8 --add-comments=translators: --no-wrap --sort-output \
	--package-name='InPost Quick Returns for WooCommerce' --package-version=0.1.0 --msgid-bugs-address=inpost-quick-returns \
	--keyword=__ --keyword=_e --keyword=_x:1,2c --keyword=_ex:1,2c --keyword=_n:1,2 --keyword=_nx:1,2,4c \
	--keyword=_n_noop:1,2 --keyword=esc_html__ --keyword=esc_html_e --keyword=esc_html_x:1,2c \
	--keyword=esc_attr__ --keyword=esc_attr_e --keyword=esc_attr_x:1,2c \
	--files-from="${out}.files" -o "${out}"
rm -f "${out}.files"
# The creation date changes on every run; keep the file stable.
sed -i '/^"POT-Creation-Date:/d' "${out}"
if [ "$#" -eq 0 ]; then
	for po in languages/*.po; do
		[ -e "$po" ] || continue
		msgmerge --quiet --update --backup=none --no-wrap --sort-output --no-fuzzy-matching "$po" "$out"
		msgattrib --no-obsolete --no-wrap --sort-output -o "$po" "$po"
	done
fi
