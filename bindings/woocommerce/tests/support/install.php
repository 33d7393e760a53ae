<?php
/**
 * Builds the test shop in three steps, each a fresh PHP process (as separate requests would be):
 *
 *   php install.php core         WordPress installed, WooCommerce activated
 *   php install.php woocommerce  WooCommerce's tables and pages; the plugin installed from its zip
 *                                with the same upgrader wp-admin → Plugins → Upload uses, activated
 *   php install.php shop         the plugin's settings (the local sandbox), a customer, a product
 *
 * Environment: INPOST_QR_WP_DIR, INPOST_QR_URL, INPOST_QR_PLUGIN_ZIP, INPOST_QR_SANDBOX_URL.
 *
 * @package InPostQuickReturns
 */

$step = $argv[1] ?? '';
$inpost_qr_wp_dir = getenv( 'INPOST_QR_WP_DIR' );

function inpost_qr_fail( string $message ): void {
	fwrite( STDERR, "install.php: {$message}\n" );
	exit( 1 );
}

if ( 'core' === $step ) {
	define( 'WP_INSTALLING', true );
}
$_SERVER['HTTP_HOST'] = parse_url( (string) getenv( 'INPOST_QR_URL' ), PHP_URL_HOST ) . ':' . parse_url( (string) getenv( 'INPOST_QR_URL' ), PHP_URL_PORT );
require $inpost_qr_wp_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

switch ( $step ) {
	case 'core':
		$result = wp_install( 'InPost Quick Returns test shop', 'admin', 'admin@example.com', false, '', 'admin-password', 'en_US' );
		if ( is_wp_error( $result ) ) {
			inpost_qr_fail( $result->get_error_message() );
		}
		wp_set_current_user( 1 );
		$activated = activate_plugin( 'woocommerce/woocommerce.php' );
		if ( is_wp_error( $activated ) ) {
			inpost_qr_fail( 'WooCommerce: ' . $activated->get_error_message() );
		}
		break;

	case 'woocommerce':
		wp_set_current_user( 1 );
		if ( ! get_option( 'woocommerce_db_version' ) ) {
			WC_Install::install();
		}
		WC_Install::create_pages();
		foreach (
			array(
				'woocommerce_default_country'          => 'PL',
				'woocommerce_currency'                 => 'PLN',
				'woocommerce_coming_soon'              => 'no',
				'woocommerce_store_pages_only'         => 'no',
				'woocommerce_onboarding_profile'       => array( 'skipped' => true ),
				'woocommerce_task_list_hidden'         => 'yes',
				'woocommerce_task_list_reminder_bar_hidden' => 'yes',
				'woocommerce_show_marketplace_suggestions' => 'no',
				'woocommerce_allow_tracking'           => 'no',
				'woocommerce_enable_guest_checkout'    => 'yes',
				'woocommerce_admin_customize_store_completed' => 'yes',
				'blog_public'                          => '0',
			) as $name => $value
		) {
			update_option( $name, $value );
		}
		delete_transient( '_wc_activation_redirect' );

		require_once ABSPATH . 'wp-admin/includes/file.php';
		require_once ABSPATH . 'wp-admin/includes/misc.php';
		require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';
		$upgrader = new Plugin_Upgrader( new Automatic_Upgrader_Skin() );
		$result   = $upgrader->install( (string) getenv( 'INPOST_QR_PLUGIN_ZIP' ) );
		if ( true !== $result ) {
			inpost_qr_fail( 'installing the plugin zip: ' . ( is_wp_error( $result ) ? $result->get_error_message() : implode( "\n", $upgrader->skin->get_upgrade_messages() ) ) );
		}
		$activated = activate_plugin( 'inpost-quick-returns/inpost-quick-returns.php' );
		if ( is_wp_error( $activated ) ) {
			inpost_qr_fail( 'activating the plugin: ' . $activated->get_error_message() );
		}
		break;

	case 'shop':
		if ( ! function_exists( 'inpost_quick_returns_generate_code' ) ) {
			inpost_qr_fail( 'the plugin is not active' );
		}
		update_option( 'inpost_quick_returns_environment', 'custom' );
		update_option( 'inpost_quick_returns_base_url', (string) getenv( 'INPOST_QR_SANDBOX_URL' ) );
		update_option( 'inpost_quick_returns_email', 'demo@example.com' );
		\InPost\QuickReturns\WooCommerce\Settings::store_password( 'demo-password' );

		$customer_id = wc_create_new_customer( 'jan.kowalski@example.pl', 'jan', 'customer-password', array( 'first_name' => 'Jan', 'last_name' => 'Kowalski' ) );
		if ( is_wp_error( $customer_id ) ) {
			inpost_qr_fail( $customer_id->get_error_message() );
		}
		$customer = new WC_Customer( $customer_id );
		$customer->set_billing_first_name( 'Jan' );
		$customer->set_billing_last_name( 'Kowalski' );
		$customer->set_billing_email( 'jan.kowalski@example.pl' );
		$customer->set_billing_phone( '600 100 200' );
		$customer->set_billing_address_1( 'ul. Testowa 1' );
		$customer->set_billing_city( 'Kraków' );
		$customer->set_billing_postcode( '30-001' );
		$customer->set_billing_country( 'PL' );
		$customer->save();

		$product = new WC_Product_Simple();
		$product->set_name( 'Kubek termiczny' );
		$product->set_regular_price( '49.00' );
		$product->set_status( 'publish' );
		$product->save();
		update_option( 'inpost_qr_test_product', $product->get_id() );
		update_option( 'inpost_qr_test_customer', $customer_id );
		echo wp_json_encode( array( 'customer' => $customer_id, 'product' => $product->get_id() ) ), "\n";
		break;

	default:
		inpost_qr_fail( 'usage: php install.php core|woocommerce|shop' );
}
