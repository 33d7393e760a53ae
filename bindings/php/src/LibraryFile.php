<?php

declare(strict_types=1);

namespace InPost\QuickReturns;

/**
 * Reads a shared library's header (ELF, Mach-O or PE) to tell which platform it was built for,
 * so that "Failed loading" can be explained: "this file is linux-aarch64-gnu, PHP runs on
 * linux-x86_64-gnu".
 */
final class LibraryFile
{
    private const ELF_MACHINES = [3 => 'x86', 40 => 'arm', 62 => 'x86_64', 183 => 'aarch64', 243 => 'riscv64'];
    private const MACHO_CPUS = [7 => 'x86', 0x01000007 => 'x86_64', 12 => 'arm', 0x0100000c => 'arm64'];
    private const PE_MACHINES = [0x14c => 'x86', 0x8664 => 'x86_64', 0xaa64 => 'aarch64'];

    /**
     * What the file is, e.g. `['format' => 'ELF', 'platform' => 'linux-aarch64-gnu']`, or null when
     * it is no shared library this class knows (or cannot be read). A fat Mach-O file names every
     * architecture it holds: `macos-x86_64+arm64`.
     *
     * @return array{format: string, platform: string}|null
     */
    public static function describe(string $path): ?array
    {
        $file = @fopen($path, 'rb');
        if ($file === false) {
            return null;
        }
        try {
            $head = (string) fread($file, 64);
            if (str_starts_with($head, "\x7fELF")) {
                $elf = self::elf($file, $head);

                return $elf === null ? null : [
                    'format' => 'ELF',
                    'platform' => 'linux-' . $elf['machine'] . ($elf['libc'] !== null ? '-' . $elf['libc'] : ''),
                ];
            }
            $magic = \strlen($head) >= 8 ? unpack('V', $head)[1] : 0;
            if ($magic === 0xfeedfacf || $magic === 0xfeedface) {
                return ['format' => 'Mach-O', 'platform' => 'macos-' . self::name(self::MACHO_CPUS, unpack('V', $head, 4)[1])];
            }
            if (\strlen($head) >= 8 && unpack('N', $head)[1] === 0xcafebabe) {
                $count = min(unpack('N', $head, 4)[1], 8);
                fseek($file, 8);
                $entries = (string) fread($file, 20 * $count);
                $names = [];
                for ($i = 0; $i < $count && \strlen($entries) >= 20 * ($i + 1); $i++) {
                    $names[] = self::name(self::MACHO_CPUS, unpack('N', $entries, 20 * $i)[1]);
                }

                return ['format' => 'Mach-O', 'platform' => 'macos-' . implode('+', $names)];
            }
            if (str_starts_with($head, 'MZ') && \strlen($head) >= 64) {
                fseek($file, unpack('V', $head, 0x3c)[1]);
                $pe = (string) fread($file, 6);
                if (\strlen($pe) === 6 && str_starts_with($pe, "PE\0\0")) {
                    return ['format' => 'PE', 'platform' => 'windows-' . self::name(self::PE_MACHINES, unpack('v', $pe, 4)[1])];
                }
            }

            return null;
        } finally {
            fclose($file);
        }
    }

    /** An ELF executable's interpreter (`/lib/ld-musl-x86_64.so.1`, `/lib64/ld-linux-x86-64.so.2`). */
    public static function interpreter(string $path): ?string
    {
        $file = @fopen($path, 'rb');
        if ($file === false) {
            return null;
        }
        try {
            $head = (string) fread($file, 64);

            return str_starts_with($head, "\x7fELF") ? (self::elf($file, $head)['interpreter'] ?? null) : null;
        } finally {
            fclose($file);
        }
    }

    /**
     * @param resource $file
     *
     * @return array{machine: string, libc: ?string, interpreter: ?string}|null
     */
    private static function elf($file, string $head): ?array
    {
        if (\strlen($head) < 64) {
            return null;
        }
        $is64 = \ord($head[4]) === 2;
        $le = \ord($head[5]) !== 2;
        $u16 = static fn (string $s, int $at): int => unpack($le ? 'v' : 'n', $s, $at)[1];
        $u32 = static fn (string $s, int $at): int => unpack($le ? 'V' : 'N', $s, $at)[1];
        $word = static fn (string $s, int $at): int => $is64 ? unpack($le ? 'P' : 'J', $s, $at)[1] : $u32($s, $at);
        $read = static function (int $offset, int $length) use ($file): string {
            if ($length <= 0 || $length > 1 << 20 || fseek($file, $offset) !== 0) {
                return '';
            }

            return (string) fread($file, $length);
        };

        $machine = self::name(self::ELF_MACHINES, $u16($head, 18));
        $phoff = $word($head, $is64 ? 32 : 28);
        $phentsize = $u16($head, $is64 ? 54 : 42);
        $phnum = min($u16($head, $is64 ? 56 : 44), 64);
        $headers = $read($phoff, $phentsize * $phnum);
        $loads = [];
        $dynamic = null;
        $interpreter = null;
        for ($i = 0; $i < $phnum && \strlen($headers) >= $phentsize * ($i + 1); $i++) {
            $at = $i * $phentsize;
            $type = $u32($headers, $at);
            $offset = $word($headers, $at + ($is64 ? 8 : 4));
            $vaddr = $word($headers, $at + ($is64 ? 16 : 8));
            $size = $word($headers, $at + ($is64 ? 32 : 16));
            if ($type === 1) {
                $loads[] = [$vaddr, $offset, $size];
            } elseif ($type === 2) {
                $dynamic = [$offset, $size];
            } elseif ($type === 3) {
                $interpreter = rtrim($read($offset, $size), "\0");
            }
        }

        // DT_NEEDED names the C library: libc.so.6 is glibc, libc.so (or libc.musl-*) is musl.
        $libc = null;
        if ($interpreter !== null) {
            $libc = str_contains($interpreter, 'musl') ? 'musl' : 'gnu';
        } elseif ($dynamic !== null) {
            $entries = $read($dynamic[0], $dynamic[1]);
            $size = $is64 ? 16 : 8;
            $needed = [];
            $strtab = null;
            for ($at = 0; $at + $size <= \strlen($entries); $at += $size) {
                $tag = $word($entries, $at);
                $value = $word($entries, $at + ($is64 ? 8 : 4));
                if ($tag === 0) {
                    break;
                }
                if ($tag === 1) {
                    $needed[] = $value;
                } elseif ($tag === 5) {
                    $strtab = $value;
                }
            }
            foreach ($loads as [$vaddr, $offset, $length]) {
                if ($strtab !== null && $strtab >= $vaddr && $strtab < $vaddr + $length) {
                    foreach ($needed as $name) {
                        $text = $read($strtab - $vaddr + $offset + $name, 64);
                        $text = substr($text, 0, (int) strpos($text . "\0", "\0"));
                        if ($text === 'libc.so.6') {
                            $libc = 'gnu';
                        } elseif ($text === 'libc.so' || str_starts_with($text, 'libc.musl-')) {
                            $libc = 'musl';
                        }
                    }
                    break;
                }
            }
        }

        return ['machine' => $machine, 'libc' => $libc, 'interpreter' => $interpreter];
    }

    /** @param array<int, string> $names */
    private static function name(array $names, int $code): string
    {
        return $names[$code] ?? sprintf('unknown(0x%x)', $code);
    }
}
