<?php
/**
 * Polish and English: the text domain, the .pot template and the pl_PL translation.
 *
 * @package InPostQuickReturns
 */

use InPostQrTests\Support\ShopTestCase;

final class TranslationTest extends ShopTestCase {

	private const SOURCE = __DIR__ . '/../..';

	public function testThePluginSpeaksPolishForPolishUsers(): void {
		// pl_PL is an installed language of the test shop (tests/support/shop.mjs).
		$this->assertTrue( switch_to_locale( 'pl_PL' ) );
		try {
			$this->assertSame( 'Zwrot przez Paczkomat InPost', __( 'Return with InPost Paczkomat', 'inpost-quick-returns' ) );
			$this->assertSame( 'Wygeneruj kod zwrotu InPost', __( 'Generate InPost return code', 'inpost-quick-returns' ) );
			foreach ( array( 1 => 'dzień', 2 => 'dni', 5 => 'dni', 22 => 'dni' ) as $days => $word ) {
				$this->assertSame(
					"Okres zwrotu wynoszący {$days} {$word} od realizacji zakończył się 1 stycznia.",
					sprintf( _n( 'The return period of %1$d day after completion ended on %2$s.', 'The return period of %1$d days after completion ended on %2$s.', $days, 'inpost-quick-returns' ), $days, '1 stycznia' )
				);
			}
			$this->assertSame( '3 kody śledzone,', sprintf( _n( '%d code followed,', '%d codes followed,', 3, 'inpost-quick-returns' ), 3 ) );
		} finally {
			restore_previous_locale();
		}
		$this->assertSame( 'Return with InPost Paczkomat', __( 'Return with InPost Paczkomat', 'inpost-quick-returns' ) );
	}

	/** Every string in the code is in the .pot, and translated in pl_PL.po. */
	public function testTheTemplateAndThePolishTranslationAreComplete(): void {
		$fresh = tempnam( sys_get_temp_dir(), 'inpost-qr-pot-' );
		exec( escapeshellarg( self::SOURCE . '/bin/make-pot.sh' ) . ' ' . escapeshellarg( $fresh ) . ' 2>&1', $output, $status );
		$in_code = self::msgids( (string) file_get_contents( $fresh ) );
		unlink( $fresh );
		$this->assertSame( 0, $status, implode( "\n", $output ) );
		$this->assertNotEmpty( $in_code );
		$pot = self::msgids( (string) file_get_contents( self::SOURCE . '/languages/inpost-quick-returns.pot' ) );
		$this->assertSame( array(), array_values( array_diff( $in_code, $pot ) ), 'strings missing from the .pot: run `make woocommerce-pot`' );
		$this->assertSame( array(), array_values( array_diff( $pot, $in_code ) ), 'strings in the .pot that the code no longer has: run `make woocommerce-pot`' );

		$po = self::SOURCE . '/languages/inpost-quick-returns-pl_PL.po';
		exec( 'msgfmt --check --statistics -o /dev/null ' . escapeshellarg( $po ) . ' 2>&1', $output, $status );
		$this->assertSame( 0, $status, implode( "\n", $output ) );
		$this->assertMatchesRegularExpression( '/^\d+ translated messages\.$/', trim( implode( ' ', $output ) ), 'every message of pl_PL.po must be translated (no fuzzy, no untranslated)' );
		$this->assertSame( array(), array_values( array_diff( $pot, self::msgids( (string) file_get_contents( $po ) ) ) ), 'pl_PL.po lacks strings of the .pot: run `make woocommerce-pot`' );
	}

	/** @return list<string> msgid (with msgctxt and plural) of each entry but the header */
	private static function msgids( string $po ): array {
		preg_match_all( '/^(?:msgctxt "((?:[^"\\\\]|\\\\.)*)"\n)?msgid "((?:[^"\\\\]|\\\\.)*)"(?:\nmsgid_plural "((?:[^"\\\\]|\\\\.)*)")?/m', $po, $matches, PREG_SET_ORDER );
		$ids = array();
		foreach ( $matches as $m ) {
			if ( '' !== $m[2] ) {
				$ids[] = ( '' !== $m[1] ? $m[1] . "\x04" : '' ) . $m[2] . ( isset( $m[3] ) && '' !== $m[3] ? "\x00" . $m[3] : '' );
			}
		}
		sort( $ids );
		return array_values( array_unique( $ids ) );
	}
}
