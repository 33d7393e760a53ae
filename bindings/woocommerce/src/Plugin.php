<?php
/**
 * Wires the plugin into WordPress and WooCommerce.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

defined( 'ABSPATH' ) || exit;

/** Boot, activation and deactivation. */
final class Plugin {

	public static function boot(): void {
		if ( ! class_exists( 'WooCommerce' ) ) {
			add_action( 'admin_notices', array( self::class, 'woocommerce_missing_notice' ) );
			return;
		}
		add_action( 'init', array( self::class, 'load_textdomain' ) );
		add_action( 'init', array( CodeStore::class, 'maybe_install' ) );
		Library::load_package();

		StatusSync::register();
		Customer\ReturnSection::register();
		Email\Hooks::register();

		// Admin hooks only ever fire on admin screens; registering them everywhere costs nothing
		// and lets WP-CLI and other plugins' code run the same order actions.
		add_filter( 'woocommerce_get_settings_pages', array( self::class, 'add_settings_page' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( INPOST_QR_PLUGIN_FILE ), array( self::class, 'action_links' ) );
		Admin\SettingsFields::register();
		Admin\OrderBox::register();
		Admin\InactiveCodesPage::register();
		Admin\Notices::register();
		add_action( 'admin_notices', array( self::class, 'library_notice' ) );
	}

	public static function load_textdomain(): void {
		load_plugin_textdomain( 'inpost-quick-returns', false, dirname( plugin_basename( INPOST_QR_PLUGIN_FILE ) ) . '/languages' );
	}

	/**
	 * @param array<int, \WC_Settings_Page> $pages
	 * @return array<int, \WC_Settings_Page>
	 */
	public static function add_settings_page( $pages ) {
		$pages[] = new Admin\SettingsPage();
		return $pages;
	}

	/**
	 * @param array<string, string> $links
	 * @return array<string, string>
	 */
	public static function action_links( $links ) {
		$settings = '<a href="' . esc_url( admin_url( 'admin.php?page=wc-settings&tab=' . Settings::TAB ) ) . '">' . esc_html__( 'Settings', 'inpost-quick-returns' ) . '</a>';
		array_unshift( $links, $settings );
		return $links;
	}

	/** On the plugins list and WooCommerce's screens: the library cannot be loaded, and where to read why. */
	public static function library_notice(): void {
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		if ( ! current_user_can( 'manage_woocommerce' ) || null === $screen || ( 'plugins' !== $screen->id && ! str_starts_with( (string) $screen->id, 'woocommerce_page_' ) ) ) {
			return;
		}
		if ( 'wc-settings' === ( $_GET['page'] ?? '' ) && Settings::TAB === ( $_GET['tab'] ?? '' ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended
			return; // The settings page explains it in full.
		}
		try {
			Library::core();
		} catch ( \Throwable $e ) {
			printf(
				'<div class="notice notice-error"><p><strong>%1$s</strong> %2$s <a href="%3$s">%4$s</a></p></div>',
				esc_html__( 'InPost Quick Returns cannot load its library:', 'inpost-quick-returns' ),
				esc_html( $e->getMessage() ),
				esc_url( admin_url( 'admin.php?page=wc-settings&tab=' . Settings::TAB ) ),
				esc_html__( 'What to change', 'inpost-quick-returns' )
			);
		}
	}

	public static function woocommerce_missing_notice(): void {
		echo '<div class="notice notice-error"><p>' . esc_html__( 'InPost Quick Returns needs WooCommerce to be installed and active.', 'inpost-quick-returns' ) . '</p></div>';
	}

	public static function activate(): void {
		CodeStore::install();
		delete_transient( 'inpost_quick_returns_sync_scheduled' );
	}

	public static function deactivate(): void {
		StatusSync::unschedule();
	}
}
