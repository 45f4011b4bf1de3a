using System.Buffers.Binary;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>
/// Decodes lossless JPEG (ITU-T T.81 Annex H, process 14: SOF3, Huffman coded, predictors 1-7, point transform, 2-16
/// bit samples, restart intervals, interleaved or one scan per component) into 16-bit samples, interleaved by component.
/// </summary>
/// <remarks>
/// DICOM's JPEG Lossless syntaxes (1.2.840.10008.1.2.4.57 and .70) hold these streams, and CT, MR and radiography
/// archives use them widely. This decoder exists for speed: the managed general decoder was slower than the reference
/// toolkits (docs/imaging.md, "JPEG lossless"). It takes the frames every encoder we know writes, with components
/// sampled 1x1; others (subsampled components, a height given by DNL, restarts not on row boundaries) are
/// <see cref="NotSupportedException"/>, for a general decoder to take. Damaged data is
/// <see cref="InvalidDataException"/>; work is bounded by the frame's size, whatever the bytes say.
/// </remarks>
internal static class LosslessJpegDecoder
{
    /// <summary>Reads the frame header (SOF3) of a lossless JPEG stream; null when the stream is another kind of JPEG.</summary>
    /// <exception cref="InvalidDataException">The header is damaged.</exception>
    /// <exception cref="NotSupportedException">A lossless frame this decoder does not take.</exception>
    public static LosslessJpegFrame? ReadFrame(ReadOnlySpan<byte> jpeg)
    {
        RequireStart(jpeg);
        var at = 2;
        while (NextMarker(jpeg, ref at, out var marker, out var segment))
        {
            if (marker == 0xC3)
            {
                return ParseFrame(segment);
            }

            if (marker is 0xDA or 0xD9 || (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC))
            {
                return null;
            }
        }

        throw new InvalidDataException("the JPEG stream has no frame header");
    }

    /// <summary>Decodes every scan of the stream into <paramref name="samples"/> (Width x Height x Components, interleaved).</summary>
    /// <exception cref="InvalidDataException">The stream is damaged or cut short.</exception>
    /// <exception cref="NotSupportedException">A lossless frame this decoder does not take.</exception>
    public static void Decode(ReadOnlySpan<byte> jpeg, LosslessJpegFrame frame, Span<ushort> samples)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (samples.Length < frame.SampleCount)
        {
            throw new ArgumentException($"the frame needs {frame.SampleCount} samples", nameof(samples));
        }

        RequireStart(jpeg);
        var tables = new LosslessJpegHuffmanTable?[4];
        var restartInterval = 0;
        var decoded = new bool[frame.Components];
        var at = 2;
        // To EOI, or to the end of the data: decoders accept a stream without EOI once every component is decoded.
        while (NextMarker(jpeg, ref at, out var marker, out var segment) && marker != 0xD9)
        {
            switch (marker)
            {
                case 0xC4:
                    LosslessJpegHuffmanTable.Read(segment, tables);
                    break;
                case 0xDD:
                    restartInterval = segment.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(segment) : throw new InvalidDataException("the restart interval segment is damaged");
                    break;
                case 0xDA:
                    at = DecodeScan(jpeg, at, ParseScan(segment, frame, tables, decoded), frame, restartInterval, samples);
                    break;
                case 0xDC:
                    throw new NotSupportedException("a DNL segment (height defined after the first scan)");
                default:
                    // APPn, COM, DQT, DAC and the frame header (read by ReadFrame) carry nothing this decoder needs.
                    break;
            }
        }

        if (decoded.Contains(false))
        {
            throw new InvalidDataException("the JPEG stream ends before every component was coded");
        }
    }

    private static void RequireStart(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new InvalidDataException("the data does not start with a JPEG start-of-image marker");
        }
    }

    // The next marker segment from `at`: its marker code and its body (empty for markers without one); false at the end.
    // Bytes that are not a marker are skipped as decoders do (libjpeg's next_marker), and so are fill bytes.
    private static bool NextMarker(ReadOnlySpan<byte> jpeg, ref int at, out byte marker, out ReadOnlySpan<byte> segment)
    {
        while (at + 1 < jpeg.Length)
        {
            if (jpeg[at] != 0xFF || jpeg[at + 1] is 0x00 or 0xFF || jpeg[at + 1] is >= 0xD0 and <= 0xD7)
            {
                at++;
                continue;
            }

            marker = jpeg[at + 1];
            segment = default;
            if (marker is 0xD8 or 0xD9 or 0x01)
            {
                at += 2;
                return true;
            }

            if (at + 4 > jpeg.Length)
            {
                throw new InvalidDataException($"the JPEG marker 0xFF{marker:X2} is cut short");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            if (length < 2 || at + 2 + length > jpeg.Length)
            {
                throw new InvalidDataException($"the JPEG marker segment 0xFF{marker:X2} claims {length} bytes");
            }

            segment = jpeg.Slice(at + 4, length - 2);
            at += 2 + length;
            return true;
        }

        marker = 0;
        segment = default;
        return false;
    }

    private static LosslessJpegFrame ParseFrame(ReadOnlySpan<byte> segment)
    {
        if (segment.Length < 6)
        {
            throw new InvalidDataException("the frame header is cut short");
        }

        int precision = segment[0];
        int height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
        int width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
        int components = segment[5];
        if (precision is < 2 or > 16 || width == 0 || components is 0 or > 4 || segment.Length != 6 + (3 * components))
        {
            throw new InvalidDataException($"the lossless frame header says {precision}-bit samples, {width} columns, {components} components in {segment.Length} bytes");
        }

        if (height == 0)
        {
            throw new NotSupportedException("a frame whose height is given later by a DNL segment");
        }

        var identifiers = new byte[components];
        for (var c = 0; c < components; c++)
        {
            identifiers[c] = segment[6 + (3 * c)];
            var sampling = segment[7 + (3 * c)];
            if (sampling >> 4 is 0 or > 4 || (sampling & 0x0F) is 0 or > 4)
            {
                throw new InvalidDataException($"component {c} has sampling factors 0x{sampling:X2} (each must be 1 to 4)");
            }

            if (sampling != 0x11)
            {
                throw new NotSupportedException($"a lossless component sampled 0x{sampling:X2}");
            }
        }

        return new LosslessJpegFrame(width, height, components, precision, identifiers);
    }

    private static LosslessJpegScan ParseScan(ReadOnlySpan<byte> segment, LosslessJpegFrame frame, LosslessJpegHuffmanTable?[] tables, bool[] decoded)
    {
        if (segment.Length < 1 || segment.Length != 4 + (2 * segment[0]) || segment[0] is 0 or > 4)
        {
            throw new InvalidDataException("the scan header is damaged");
        }

        int count = segment[0];
        var components = new int[count];
        var scanTables = new LosslessJpegHuffmanTable[count];
        for (var i = 0; i < count; i++)
        {
            var index = Array.IndexOf(frame.Identifiers, segment[1 + (2 * i)]);
            if (index < 0 || decoded[index])
            {
                throw new InvalidDataException($"the scan names component {segment[1 + (2 * i)]}, which the frame lacks or an earlier scan coded");
            }

            decoded[index] = true;
            components[i] = index;
            scanTables[i] = tables[segment[2 + (2 * i)] >> 4]
                ?? throw new InvalidDataException($"the scan uses Huffman table {segment[2 + (2 * i)] >> 4}, which the stream does not define");
        }

        int predictor = segment[^3];
        int pointTransform = segment[^1] & 0x0F;
        if (predictor is < 1 or > 7 || segment[^2] != 0 || segment[^1] >> 4 != 0 || pointTransform >= frame.Precision)
        {
            throw new InvalidDataException($"the lossless scan has predictor {predictor}, Se {segment[^2]} and successive approximation 0x{segment[^1]:X2}");
        }

        return new LosslessJpegScan(components, scanTables, predictor, pointTransform);
    }

    private static int DecodeScan(ReadOnlySpan<byte> jpeg, int at, LosslessJpegScan scan, LosslessJpegFrame frame, int restartInterval, Span<ushort> samples)
    {
        // T.81 H.1.2: in lossless mode an MCU is one sample of each of the scan's components, and a restart interval
        // starts a row (libjpeg-turbo refuses others too), whose first row is predicted as the image's first.
        var rowsPerInterval = frame.Height;
        if (restartInterval > 0)
        {
            if (restartInterval % frame.Width != 0)
            {
                throw new NotSupportedException($"a restart interval of {restartInterval} samples in {frame.Width}-sample rows");
            }

            rowsPerInterval = restartInterval / frame.Width;
        }

        var reader = new LosslessJpegBitReader(jpeg, at);
        var stride = frame.Width * frame.Components;
        for (var row = 0; row < frame.Height; row++)
        {
            var first = row % rowsPerInterval == 0;
            if (first && row > 0 && !reader.Restart())
            {
                throw new InvalidDataException($"the entropy-coded data ends or lacks a restart marker before row {row}");
            }

            var line = samples.Slice(row * stride, stride);
            if (first)
            {
                DecodeRow<Left>(ref reader, scan, frame, line, line, firstRow: true);
            }
            else
            {
                DecodeRow(ref reader, scan, frame, line, samples.Slice((row - 1) * stride, stride));
            }
        }

        if (reader.ReadPastEnd)
        {
            throw new InvalidDataException("the entropy-coded data ends before the last sample");
        }

        return reader.Position;
    }

    private static void DecodeRow(ref LosslessJpegBitReader reader, LosslessJpegScan scan, LosslessJpegFrame frame, Span<ushort> line, ReadOnlySpan<ushort> above)
    {
        switch (scan.Predictor)
        {
            case 1: DecodeRow<Left>(ref reader, scan, frame, line, above, firstRow: false); break;
            case 2: DecodeRow<Above>(ref reader, scan, frame, line, above, firstRow: false); break;
            case 3: DecodeRow<AboveLeft>(ref reader, scan, frame, line, above, firstRow: false); break;
            case 4: DecodeRow<Plane>(ref reader, scan, frame, line, above, firstRow: false); break;
            case 5: DecodeRow<LeftGradient>(ref reader, scan, frame, line, above, firstRow: false); break;
            case 6: DecodeRow<AboveGradient>(ref reader, scan, frame, line, above, firstRow: false); break;
            default: DecodeRow<Average>(ref reader, scan, frame, line, above, firstRow: false); break;
        }
    }

    // One row of the scan's components. The first column is predicted from above, or from 2^(P-Pt-1) on an interval's
    // first row, whose other samples are predicted from the left; the rest by TPredictor, on the samples before the point
    // transform (T.81 H.1.2.1, Table H.1). On a first row `above` is the row itself, read by no predictor.
    private static void DecodeRow<TPredictor>(ref LosslessJpegBitReader reader, LosslessJpegScan scan, LosslessJpegFrame frame, Span<ushort> line, ReadOnlySpan<ushort> above, bool firstRow)
        where TPredictor : struct, ILosslessPredictor
    {
        var shift = scan.PointTransform;
        var step = frame.Components;
        var components = scan.Components;
        var tables = scan.Tables;
        for (var i = 0; i < components.Length; i++)
        {
            var c = components[i];
            reader.Fill();
            var prediction = firstRow ? 1 << (frame.Precision - shift - 1) : above[c] >> shift;
            line[c] = (ushort)(((prediction + tables[i].DecodeDifference(ref reader)) & 0xFFFF) << shift);
        }

        if (components.Length == 1 && step == 1)
        {
            // One component alone: the common grayscale frame, without the component loop.
            var table = tables[0];
            for (var x = 1; x < line.Length; x++)
            {
                reader.Fill();
                var prediction = TPredictor.Predict(line[x - 1] >> shift, above[x] >> shift, above[x - 1] >> shift);
                line[x] = (ushort)(((prediction + table.DecodeDifference(ref reader)) & 0xFFFF) << shift);
            }

            return;
        }

        for (var x = step; x < line.Length; x += step)
        {
            for (var i = 0; i < components.Length; i++)
            {
                var at = x + components[i];
                reader.Fill();
                var prediction = TPredictor.Predict(line[at - step] >> shift, above[at] >> shift, above[at - step] >> shift);
                line[at] = (ushort)(((prediction + tables[i].DecodeDifference(ref reader)) & 0xFFFF) << shift);
            }
        }
    }

    private sealed record LosslessJpegScan(int[] Components, LosslessJpegHuffmanTable[] Tables, int Predictor, int PointTransform);

    private interface ILosslessPredictor
    {
        static abstract int Predict(int left, int above, int aboveLeft);
    }

    // Table H.1's predictors; 5 and 6 shift a difference right arithmetically, as libjpeg does.
    private readonly struct Left : ILosslessPredictor
    {
        public static int Predict(int left, int above, int aboveLeft) => left;
    }

    private readonly struct Above : ILosslessPredictor
    {
        public static int Predict(int left, int above, int aboveLeft) => above;
    }

    private readonly struct AboveLeft : ILosslessPredictor
    {
        public static int Predict(int left, int above, int aboveLeft) => aboveLeft;
    }

    private readonly struct Plane : ILosslessPredictor
    {
        public static int Predict(int left, int above, int aboveLeft) => left + above - aboveLeft;
    }

    private readonly struct LeftGradient : ILosslessPredictor
    {
        public static int Predict(int left, int above, int aboveLeft) => left + ((above - aboveLeft) >> 1);
    }

    private readonly struct AboveGradient : ILosslessPredictor
    {
        public static int Predict(int left, int above, int aboveLeft) => above + ((left - aboveLeft) >> 1);
    }

    private readonly struct Average : ILosslessPredictor
    {
        public static int Predict(int left, int above, int aboveLeft) => (left + above) >> 1;
    }
}
