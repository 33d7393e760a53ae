<?php
/**
 * Plugin Name:          InPost Quick Returns for WooCommerce
 * Description:          Return codes for InPost Paczkomat lockers ("Szybkie Zwroty") issued by your shop: customers get a code in My Account and by e-mail, and the shop follows the return parcel.
 * Version:              0.1.0
 * Requires at least:    6.5
 * Requires PHP:         8.1
 * Requires Plugins:     woocommerce
 * Author:               inpost-quick-returns contributors
 * License:              MIT OR Apache-2.0
 * Text Domain:          inpost-quick-returns
 * Domain Path:          /languages
 * WC requires at least: 8.2
 * WC tested up to:      10.0
 *
 * @package InPostQuickReturns
 */

defined( 'ABSPATH' ) || exit;

define( 'INPOST_QR_PLUGIN_VERSION', '0.1.0' );
define( 'INPOST_QR_PLUGIN_FILE', __FILE__ );
define( 'INPOST_QR_PLUGIN_DIR', __DIR__ . '/' );

// This file only uses syntax every PHP 7 understands, so that an old PHP gets a notice, not a parse error.
if ( PHP_VERSION_ID < 80100 ) {
	add_action(
		'admin_notices',
		static function () {
			echo '<div class="notice notice-error"><p>'
				. esc_html__( 'InPost Quick Returns needs PHP 8.1 or newer; it is switched off.', 'inpost-quick-returns' )
				. '</p></div>';
		}
	);
	return;
}

spl_autoload_register(
	static function ( $class_name ) {
		$prefix = 'InPost\\QuickReturns\\WooCommerce\\';
		if ( strncmp( $class_name, $prefix, strlen( $prefix ) ) === 0 ) {
			$file = INPOST_QR_PLUGIN_DIR . 'src/' . str_replace( '\\', '/', substr( $class_name, strlen( $prefix ) ) ) . '.php';
			if ( is_file( $file ) ) {
				require $file;
			}
		}
	}
);

require_once INPOST_QR_PLUGIN_DIR . 'functions.php';

register_activation_hook( __FILE__, array( \InPost\QuickReturns\WooCommerce\Plugin::class, 'activate' ) );
register_deactivation_hook( __FILE__, array( \InPost\QuickReturns\WooCommerce\Plugin::class, 'deactivate' ) );

add_action(
	'before_woocommerce_init',
	static function () {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			// Orders are only read and written through WC_Order, so both order storages work.
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
		}
	}
);

add_action( 'plugins_loaded', array( \InPost\QuickReturns\WooCommerce\Plugin::class, 'boot' ) );
