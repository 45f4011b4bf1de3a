namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>
/// Writes lossless JPEG (T.81 process 14) in layouts the installed encoders do not make: restart intervals, one scan per
/// component, any predictor and point transform, and 16-bit noise whose differences reach every category up to 16.
/// </summary>
/// <remarks>Written from T.81 Annex H for the tests, independently of the decoder; JpegLibrary decodes its output too.</remarks>
internal static class LosslessJpegWriter
{
    // One code for each difference category 0-16: three of 2 bits, then one of each length 3 to 16 (T.81 C, canonical).
    private static readonly byte[] Counts = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

    public static byte[] Encode(ushort[] samples, int width, int height, int components, int precision, int predictor = 1, int pointTransform = 0, int restartRows = 0, bool scanPerComponent = false)
    {
        var (codes, lengths) = Codes();
        var output = new List<byte> { 0xFF, 0xD8 };
        var frame = new List<byte> { (byte)precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)components };
        for (var c = 0; c < components; c++)
        {
            frame.AddRange([(byte)(c + 1), 0x11, 0]);
        }

        Segment(output, 0xC3, frame);
        Segment(output, 0xC4, [0x00, .. Counts, .. Enumerable.Range(0, 17).Select(s => (byte)s)]);
        if (restartRows > 0)
        {
            var interval = restartRows * width;
            Segment(output, 0xDD, [(byte)(interval >> 8), (byte)interval]);
        }

        var scans = scanPerComponent ? Enumerable.Range(0, components).Select(c => new[] { c }).ToArray() : [Enumerable.Range(0, components).ToArray()];
        foreach (var scan in scans)
        {
            Segment(output, 0xDA, [(byte)scan.Length, .. scan.SelectMany(c => new[] { (byte)(c + 1), (byte)0x00 }), (byte)predictor, 0, (byte)pointTransform]);
            var bits = new BitWriter(output);
            var restarts = 0;
            for (var y = 0; y < height; y++)
            {
                var first = restartRows > 0 ? y % restartRows == 0 : y == 0;
                if (first && y > 0)
                {
                    bits.Flush();
                    output.AddRange([0xFF, (byte)(0xD0 + (restarts++ % 8))]);
                }

                for (var x = 0; x < width; x++)
                {
                    foreach (var c in scan)
                    {
                        int Sample(int row, int column) => samples[(((row * width) + column) * components) + c] >> pointTransform;
                        var prediction = (first, x) switch
                        {
                            (true, 0) => 1 << (precision - pointTransform - 1),
                            (true, _) => Sample(y, x - 1),
                            (false, 0) => Sample(y - 1, 0),
                            _ => Predict(predictor, Sample(y, x - 1), Sample(y - 1, x), Sample(y - 1, x - 1)),
                        };
                        var difference = (Sample(y, x) - prediction) & 0xFFFF;
                        if (difference > 32768)
                        {
                            difference -= 65536;
                        }

                        var category = difference == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(difference));
                        bits.Write(codes[category], lengths[category]);
                        if (category is > 0 and < 16)
                        {
                            bits.Write(difference > 0 ? difference : difference + (1 << category) - 1, category);
                        }
                    }
                }
            }

            bits.Flush();
        }

        output.AddRange([0xFF, 0xD9]);
        return [.. output];
    }

    private static int Predict(int predictor, int a, int b, int c) => predictor switch
    {
        1 => a,
        2 => b,
        3 => c,
        4 => a + b - c,
        5 => a + ((b - c) >> 1),
        6 => b + ((a - c) >> 1),
        _ => (a + b) >> 1,
    };

    private static (int[] Codes, int[] Lengths) Codes()
    {
        var codes = new int[17];
        var lengths = new int[17];
        var (code, k) = (0, 0);
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < Counts[length - 1]; i++)
            {
                (codes[k], lengths[k]) = (code++, length);
                k++;
            }

            code <<= 1;
        }

        return (codes, lengths);
    }

    private static void Segment(List<byte> output, byte marker, IReadOnlyCollection<byte> body)
    {
        output.AddRange([0xFF, marker, (byte)((body.Count + 2) >> 8), (byte)(body.Count + 2)]);
        output.AddRange(body);
    }

    private sealed class BitWriter(List<byte> output)
    {
        private int _byte;
        private int _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _byte = (_byte << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        // Pads the last byte with 1 bits (T.81 F.1.2.3) before a marker.
        public void Flush()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            output.Add((byte)_byte);
            if (_byte == 0xFF)
            {
                output.Add(0x00);
            }

            (_byte, _count) = (0, 0);
        }
    }
}
