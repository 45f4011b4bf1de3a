using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>
/// Reads the bits of a JPEG entropy-coded segment, most significant first, with stuffed zero bytes removed (T.81 F.1.2.3)
/// and zero bits supplied past its end, as libjpeg does; <see cref="ReadPastEnd"/> tells whether any of those were used.
/// </summary>
internal ref struct LosslessJpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    // The next bits, left-aligned: the next bit is bit 63. The last _padding of the _count bits are zeros supplied past
    // the segment's end.
    private ulong _bits;
    private int _count;
    private int _padding;

    public LosslessJpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        _position = position;
    }

    /// <summary>Where reading stopped: the marker that ends the segment, or the end of the data.</summary>
    public readonly int Position => _position;

    /// <summary>True when a bit past the segment's end has been consumed: the segment was cut short.</summary>
    public readonly bool ReadPastEnd => _padding > _count;

    /// <summary>Makes at least 33 bits available (a long code's lookahead and 16 extra bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Fill()
    {
        if (_count < 33)
        {
            Refill();
        }
    }

    /// <summary>The next <paramref name="count"/> bits (1 to 32) without consuming them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Peek(int count) => (int)(_bits >> (64 - count));

    /// <summary>Consumes <paramref name="count"/> bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int count)
    {
        _bits <<= count;
        _count -= count;
    }

    /// <summary>Takes the next <paramref name="count"/> bits (0 to 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Take(int count)
    {
        // Shifting a ulong by 64 is a shift by 0 in .NET, so zero bits are special-cased.
        var value = count == 0 ? 0 : (int)(_bits >> (64 - count));
        _bits <<= count;
        _count -= count;
        return value;
    }

    /// <summary>
    /// Drops the buffered bits and moves past the next restart marker (RST0-RST7), skipping any bytes before it as
    /// libjpeg does; false when the segment is cut short or no restart marker follows.
    /// </summary>
    public bool Restart()
    {
        if (ReadPastEnd)
        {
            return false;
        }

        (_bits, _count, _padding) = (0, 0, 0);
        while (_position + 1 < _data.Length)
        {
            if (_data[_position] == 0xFF && _data[_position + 1] is >= 0xD0 and <= 0xD7)
            {
                _position += 2;
                return true;
            }

            _position++;
        }

        return false;
    }

    private void Refill()
    {
        // Eight bytes at once when none of them is 0xFF (no stuffing, no marker): the common case.
        if (_padding == 0 && _position + 8 <= _data.Length)
        {
            var word = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
            if (!HasFFByte(word))
            {
                var bytes = (64 - _count) >> 3;
                _bits |= (word >> (64 - (bytes * 8))) << (64 - _count - (bytes * 8));
                _count += bytes * 8;
                _position += bytes;
                return;
            }
        }

        while (_count <= 56)
        {
            int next;
            if (_padding == 0 && _position < _data.Length && (next = _data[_position]) != 0xFF)
            {
                _position++;
            }
            else if (_padding == 0 && _position + 1 < _data.Length && _data[_position] == 0xFF && _data[_position + 1] == 0x00)
            {
                next = 0xFF;
                _position += 2;
            }
            else
            {
                // A marker (or the end of the data) ends the segment: zeros from here on.
                next = 0;
                _padding += 8;
            }

            _bits |= (ulong)next << (56 - _count);
            _count += 8;
        }
    }

    // True when some byte of the word is 0xFF (the classic "has zero byte" test on its complement).
    private static bool HasFFByte(ulong word)
    {
        var inverted = ~word;
        return ((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) != 0;
    }
}
