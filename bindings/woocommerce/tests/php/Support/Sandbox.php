<?php
/**
 * A second sandbox with its own flags (e.g. --delay-ms), for the tests that need one.
 *
 * @package InPostQuickReturns
 */

namespace InPostQrTests\Support;

/** `inpost-returns-sandbox --listen 127.0.0.1:0 …`, stopped when the object goes. */
final class Sandbox {

	/** @var resource */
	private $process;
	/** @var array<int, resource> */
	private array $pipes;
	public readonly string $url;

	/** @param list<string> $args */
	public function __construct( array $args ) {
		$binary  = (string) getenv( 'INPOST_QR_SANDBOX_BIN' );
		$process = proc_open( array_merge( array( $binary, '--listen', '127.0.0.1:0' ), $args ), array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'pipe', 'w' ), 2 => array( 'file', '/dev/null', 'w' ) ), $pipes );
		if ( ! is_resource( $process ) ) {
			throw new \RuntimeException( "cannot start {$binary}" );
		}
		$this->process = $process;
		$this->pipes   = $pipes;
		$line          = trim( (string) fgets( $pipes[1] ) );
		if ( 1 !== preg_match( '~^listening on (http://127\.0\.0\.1:\d+/)$~', $line, $m ) ) {
			$this->stop();
			throw new \RuntimeException( "unexpected first line from the sandbox: {$line}" );
		}
		$this->url = $m[1];
	}

	public function __destruct() {
		$this->stop();
	}

	public function stop(): void {
		if ( is_resource( $this->process ) ) {
			proc_terminate( $this->process );
			fclose( $this->pipes[1] );
			proc_close( $this->process );
		}
	}
}
