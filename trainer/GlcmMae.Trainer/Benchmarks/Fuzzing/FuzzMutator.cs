using System.Buffers.Binary;

namespace GlcmMae.Trainer.Benchmarks.Fuzzing;

/// <summary>
/// Damages a valid file the ways storage, transfer and broken writers do: bit flips, runs of bytes overwritten, truncation,
/// length and size fields smashed to boundary values, chunks duplicated or deleted. One to three damages per input.
/// </summary>
internal static class FuzzMutator
{
    private static readonly uint[] InterestingValues = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF];

    /// <summary>The kinds of damage, for reports.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["bit flips", "byte run", "truncation", "length field", "duplicated chunk", "deleted chunk"];

    public static byte[] Mutate(byte[] seed, Random random)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(random);
        var bytes = seed;
        for (var damages = random.Next(1, 4); damages > 0 && bytes.Length > 0; damages--)
        {
            bytes = random.Next(Kinds.Count) switch
            {
                0 => FlipBits(bytes, random),
                1 => OverwriteRun(bytes, random),
                2 => bytes[..random.Next(bytes.Length)],
                3 => SmashField(bytes, random),
                4 => Duplicate(bytes, random),
                _ => Delete(bytes, random),
            };
        }

        return bytes;
    }

    private static byte[] FlipBits(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        for (var i = random.Next(1, 9); i > 0; i--)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        return bytes;
    }

    private static byte[] OverwriteRun(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        var start = random.Next(bytes.Length);
        var run = bytes.AsSpan(start, Math.Min(random.Next(1, 65), bytes.Length - start));
        switch (random.Next(3))
        {
            case 0:
                random.NextBytes(run);
                break;
            case 1:
                run.Fill(0);
                break;
            default:
                run.Fill(0xFF);
                break;
        }

        return bytes;
    }

    /// <summary>A 16- or 32-bit field, in either byte order (DICOM lengths are little endian, PNG/JPEG/J2K sizes big endian), set to a boundary value or nudged.</summary>
    private static byte[] SmashField(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        var wide = random.Next(2) == 0;
        var width = wide ? 4 : 2;
        if (bytes.Length < width)
        {
            return bytes;
        }

        var at = random.Next(bytes.Length - width + 1);
        var bigEndian = random.Next(2) == 0;
        var span = bytes.AsSpan(at, width);
        var old = wide
            ? (bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span))
            : (bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span));
        var value = random.Next(3) switch
        {
            0 => InterestingValues[random.Next(InterestingValues.Length)],
            1 => unchecked(old + (uint)random.Next(-16, 17)),
            _ => unchecked(old * 2),
        };
        if (wide)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(span, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span, value);
            }
        }
        else if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value);
        }

        return bytes;
    }

    private static byte[] Duplicate(byte[] seed, Random random)
    {
        var start = random.Next(seed.Length);
        var length = Math.Min(random.Next(1, 257), seed.Length - start);
        var insertAt = random.Next(seed.Length + 1);
        return [.. seed.AsSpan(0, insertAt), .. seed.AsSpan(start, length), .. seed.AsSpan(insertAt)];
    }

    private static byte[] Delete(byte[] seed, Random random)
    {
        var start = random.Next(seed.Length);
        var length = Math.Min(random.Next(1, 257), seed.Length - start);
        return [.. seed.AsSpan(0, start), .. seed.AsSpan(start + length)];
    }
}
