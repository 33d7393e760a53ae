<?php
/**
 * PHPUnit bootstrap: loads the test shop's WordPress (INPOST_QR_WP_DIR) with WooCommerce and the
 * plugin installed from its zip. The order storage (posts or HPOS) was chosen before this process
 * started (tests/run.mjs: `fixture.php storage`).
 *
 * @package InPostQuickReturns
 */

// WordPress's files expect to run in the global scope; PHPUnit includes this file in a function.
// phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals
global $wpdb, $wp, $wp_query, $wp_the_query, $wp_rewrite, $wp_roles, $wp_locale, $wp_embed, $wp_widget_factory, $wp_version, $wp_db_version, $table_prefix, $current_site, $current_blog, $shortcode_tags, $phpmailer, $wp_theme_directories, $wp_filter, $wp_actions, $wp_current_filter, $woocommerce, $pagenow;

$inpost_qr_url                  = (string) getenv( 'INPOST_QR_URL' );
$_SERVER['HTTP_HOST'] = parse_url( $inpost_qr_url, PHP_URL_HOST ) . ':' . parse_url( $inpost_qr_url, PHP_URL_PORT );
require getenv( 'INPOST_QR_WP_DIR' ) . '/wp-load.php';
require_once __DIR__ . '/Support/Shop.php';
require_once __DIR__ . '/Support/Sandbox.php';
require_once __DIR__ . '/Support/ShopTestCase.php';

if ( ! function_exists( 'inpost_quick_returns_generate_code' ) ) {
	fwrite( STDERR, "The plugin is not active in the test shop.\n" );
	exit( 1 );
}
fwrite( STDOUT, 'Order storage: ' . ( \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled() ? 'HPOS (wc_orders tables)' : 'posts (wp_posts)' ) . "\n" );
