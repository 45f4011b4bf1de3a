using System.Buffers.Binary;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Turns a frame's pixel bytes into real values: bit masking, sign, modality LUT, colour conversion, palettes.</summary>
public static class DicomImageDecoder
{
    // Series share their encoding, so the stored-value-to-real-value tables are reused across files.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Size, int Shift, int Bits, bool Signed, double Slope, double Intercept), float[]> RescaleTables = new();

    /// <summary>Decodes frame <paramref name="frameIndex"/> of a file into a <see cref="ScanImage"/>.</summary>
    public static ScanImage Decode(DicomFile file, int frameIndex = 0, DicomReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Decode(file, DicomPixelData.Create(file, options), frameIndex);
    }

    /// <summary>Decodes a frame with an Image Pixel module already read (and checked against the limits) from the same file.</summary>
    public static ScanImage Decode(DicomFile file, DicomPixelData pixelData, int frameIndex)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(pixelData);
        if (frameIndex < 0 || frameIndex >= pixelData.NumberOfFrames)
        {
            throw new ArgumentOutOfRangeException(nameof(frameIndex), frameIndex, $"The file has {pixelData.NumberOfFrames} frame(s); choose 0 to {pixelData.NumberOfFrames - 1}.");
        }

        var frame = pixelData.GetFrameMemory(frameIndex);
        var dataset = file.Dataset;
        return pixelData.PhotometricInterpretation switch
        {
            "MONOCHROME1" or "MONOCHROME2" => DecodeGrayscale(dataset, pixelData, frame.Span),
            "PALETTE COLOR" => DecodePalette(dataset, pixelData, frame.Span),
            "RGB" or "YBR_ICT" or "YBR_RCT" => DecodeColor(pixelData, frame.Span, convertYbr: false),
            // PS3.5 8.2.1: the photometric interpretation says what the decoded samples are, so YBR is always converted here.
            "YBR_FULL" or "YBR_FULL_422" => DecodeColor(pixelData, frame.Span, convertYbr: true),
            var other => throw new DicomFormatException(-1, $"photometric interpretation {other} is not supported"),
        };
    }

    private static ScanImage DecodeGrayscale(DicomDataset dataset, DicomPixelData pixelData, ReadOnlySpan<byte> frame)
    {
        if (pixelData.SamplesPerPixel != 1)
        {
            throw new DicomFormatException(-1, $"{pixelData.PhotometricInterpretation} needs 1 sample per pixel, not {pixelData.SamplesPerPixel}");
        }

        var count = pixelData.Rows * pixelData.Columns;
        var (rawMin, rawMax) = StoredRange(pixelData);
        var pixels = FramePool.Shared.Rent(count);
        double min, max;
        var modalityLut = dataset.GetSequence(DicomTags.ModalityLutSequence).Select(item => DicomLookupTables.ReadLut(item, pixelData.IsSigned)).FirstOrDefault(l => l is not null);
        if (modalityLut is not null)
        {
            var raw = new long[count];
            ReadStoredValues(pixelData, frame, raw);
            for (var i = 0; i < count; i++)
            {
                pixels[i] = modalityLut.Map(raw[i]);
            }

            (min, max) = (0, modalityLut.MaxOutput);
        }
        else
        {
            // Rescale Slope/Intercept (C.11.1.1.2); absent or zero slope means the identity.
            var slope = dataset.GetDouble(DicomTags.RescaleSlope) is { } s && s != 0 ? s : 1.0;
            var intercept = dataset.GetDouble(DicomTags.RescaleIntercept) ?? 0.0;
            ReadRescaled(pixelData, frame, pixels, slope, intercept);
            var a = (rawMin * slope) + intercept;
            var b = (rawMax * slope) + intercept;
            (min, max) = (Math.Min(a, b), Math.Max(a, b));
        }

        var photometric = pixelData.PhotometricInterpretation == "MONOCHROME1" ? ScanPhotometric.Monochrome1 : ScanPhotometric.Monochrome2;
        return new ScanImage(pixelData.Columns, pixelData.Rows, 1, pixels, photometric, min, max, ReadVoi(dataset, pixelData.IsSigned));
    }

    private static ScanImage DecodePalette(DicomDataset dataset, DicomPixelData pixelData, ReadOnlySpan<byte> frame)
    {
        var red = DicomLookupTables.ReadPalette(dataset, DicomTags.RedPaletteColorLookupTableDescriptor, DicomTags.RedPaletteColorLookupTableData, DicomTags.SegmentedRedPaletteColorLookupTableData);
        var green = DicomLookupTables.ReadPalette(dataset, DicomTags.GreenPaletteColorLookupTableDescriptor, DicomTags.GreenPaletteColorLookupTableData, DicomTags.SegmentedGreenPaletteColorLookupTableData);
        var blue = DicomLookupTables.ReadPalette(dataset, DicomTags.BluePaletteColorLookupTableDescriptor, DicomTags.BluePaletteColorLookupTableData, DicomTags.SegmentedBluePaletteColorLookupTableData);
        if (red is null || green is null || blue is null)
        {
            throw new DicomFormatException(-1, "PALETTE COLOR image lacks its red, green or blue palette descriptor");
        }

        var count = pixelData.Rows * pixelData.Columns;
        var raw = new long[count];
        ReadStoredValues(pixelData, frame, raw);
        var pixels = FramePool.Shared.Rent(count * 3);
        for (var i = 0; i < count; i++)
        {
            pixels[i * 3] = red.Map(raw[i]);
            pixels[(i * 3) + 1] = green.Map(raw[i]);
            pixels[(i * 3) + 2] = blue.Map(raw[i]);
        }

        return new ScanImage(pixelData.Columns, pixelData.Rows, 3, pixels, ScanPhotometric.Rgb, 0, red.MaxOutput, VoiSettings.None);
    }

    private static ScanImage DecodeColor(DicomPixelData pixelData, ReadOnlySpan<byte> frame, bool convertYbr)
    {
        if (pixelData.SamplesPerPixel != 3)
        {
            throw new DicomFormatException(-1, $"{pixelData.PhotometricInterpretation} needs 3 samples per pixel, not {pixelData.SamplesPerPixel}");
        }

        var count = pixelData.Rows * pixelData.Columns * 3;
        var max = (float)((1L << pixelData.BitsStored) - 1);
        var pixels = FramePool.Shared.Rent(count);
        if (pixelData.BytesPerSample == 1 && pixelData.BitsStored == 8 && pixelData.HighBit == 7 && !pixelData.IsSigned)
        {
            // Nearly every colour scan (ultrasound, photographs): the stored bytes are the values, with nothing to mask,
            // so they are read in place instead of through a frame-sized int buffer.
            if (convertYbr)
            {
                ToColor(frame[..count], pixels, convertYbr: true, max);
            }
            else
            {
                SampleWidening.FromBytes(frame[..count], pixels.AsSpan(0, count));
            }
        }
        else
        {
            var raw = System.Buffers.ArrayPool<long>.Shared.Rent(count);
            try
            {
                ReadStoredValues(pixelData, frame, raw.AsSpan(0, count));
                ToColor<long>(raw.AsSpan(0, count), pixels, convertYbr, max);
            }
            finally
            {
                System.Buffers.ArrayPool<long>.Shared.Return(raw);
            }
        }

        return new ScanImage(pixelData.Columns, pixelData.Rows, 3, pixels, ScanPhotometric.Rgb, 0, max, VoiSettings.None);
    }

    private static void ToColor<T>(ReadOnlySpan<T> samples, Span<float> pixels, bool convertYbr, float max)
        where T : System.Numerics.INumberBase<T>
    {
        if (!convertYbr)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                pixels[i] = float.CreateTruncating(samples[i]);
            }

            return;
        }

        for (var i = 0; i + 2 < samples.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = YbrConversion.ToRgb(float.CreateTruncating(samples[i]), float.CreateTruncating(samples[i + 1]), float.CreateTruncating(samples[i + 2]), max);
        }
    }

    private static void ReadStoredValues(DicomPixelData pixelData, ReadOnlySpan<byte> frame, Span<long> values)
    {
        // Stored values sit at bits HighBit-BitsStored+1..HighBit of each sample (C.7.6.3.1.1).
        var shift = pixelData.HighBit + 1 - pixelData.BitsStored;
        var bits = pixelData.BitsStored;
        var mask = bits == 32 ? uint.MaxValue : (1u << bits) - 1;
        var signBit = 1u << (bits - 1);
        var signed = pixelData.IsSigned;
        switch (pixelData.BytesPerSample)
        {
            case 1:
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Extract(frame[i], shift, mask, signBit, signed, bits);
                }

                break;
            case 2:
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Extract(BinaryPrimitives.ReadUInt16LittleEndian(frame[(i * 2)..]), shift, mask, signBit, signed, bits);
                }

                break;
            default:
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Extract(BinaryPrimitives.ReadUInt32LittleEndian(frame[(i * 4)..]), shift, mask, signBit, signed, bits);
                }

                break;
        }
    }

    private static void ReadRescaled(DicomPixelData pixelData, ReadOnlySpan<byte> frame, Span<float> output, double slope, double intercept)
    {
        // Fused stored-value extraction and rescale: in vectors where AVX2 exists; otherwise a table for up to 16 bits,
        // which costs less than the per-pixel bit work.
        var shift = pixelData.HighBit + 1 - pixelData.BitsStored;
        var bits = pixelData.BitsStored;
        var mask = bits == 32 ? uint.MaxValue : (1u << bits) - 1;
        var signBit = 1u << (bits - 1);
        var signed = pixelData.IsSigned;
        if (pixelData.BytesPerSample <= 2 && shift + bits <= 8 * pixelData.BytesPerSample && StoredValueRescaling.IsSupported)
        {
            StoredValueRescaling.Rescale(frame, pixelData.BytesPerSample, shift, bits, signed, slope, intercept, output);
            return;
        }

        if (pixelData.BytesPerSample <= 2)
        {
            var size = pixelData.BytesPerSample == 1 ? 256 : 65536;
            var key = (size, shift, bits, signed, slope, intercept);
            if (!RescaleTables.TryGetValue(key, out var table))
            {
                table = new float[size];
                for (var v = 0; v < table.Length; v++)
                {
                    table[v] = (float)((Extract((uint)v, shift, mask, signBit, signed, bits) * slope) + intercept);
                }

                if (RescaleTables.Count > 64)
                {
                    RescaleTables.Clear();
                }

                RescaleTables[key] = table;
            }

            if (pixelData.BytesPerSample == 1)
            {
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = table[frame[i]];
                }
            }
            else
            {
                var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(frame[..(output.Length * 2)]);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = table[BitConverter.IsLittleEndian ? words[i] : BinaryPrimitives.ReverseEndianness(words[i])];
                }
            }

            return;
        }

        for (var i = 0; i < output.Length; i++)
        {
            var value = Extract(BinaryPrimitives.ReadUInt32LittleEndian(frame[(i * 4)..]), shift, mask, signBit, signed, bits);
            output[i] = (float)((value * slope) + intercept);
        }
    }

    /// <summary>The stored value of one sample: bits shift..shift+bits-1, sign-extended when signed (C.7.6.3.1.1).</summary>
    /// <remarks>A long, so that 32-bit unsigned samples keep values above 2^31 - 1 (0xFFFFFFFF is 4294967295, not -1).</remarks>
    internal static long Extract(uint sample, int shift, uint mask, uint signBit, bool signed, int bits)
    {
        var value = (sample >> shift) & mask;
        if (signed && (value & signBit) != 0)
        {
            return (int)(value | ~mask);
        }

        return value;
    }

    private static (double Min, double Max) StoredRange(DicomPixelData pixelData) => pixelData.IsSigned
        ? (-(1L << (pixelData.BitsStored - 1)), (1L << (pixelData.BitsStored - 1)) - 1)
        : (0, (1L << pixelData.BitsStored) - 1);

    private static VoiSettings ReadVoi(DicomDataset dataset, bool signed)
    {
        var centers = dataset.GetDoubles(DicomTags.WindowCenter);
        var widths = dataset.GetDoubles(DicomTags.WindowWidth);
        var explanations = dataset.GetStrings(DicomTags.WindowCenterWidthExplanation);
        var windows = new List<VoiWindow>();
        for (var i = 0; i < Math.Min(centers.Count, widths.Count); i++)
        {
            if (widths[i] >= 1)
            {
                windows.Add(new VoiWindow(centers[i], widths[i], i < explanations.Count ? explanations[i] : null));
            }
        }

        var function = dataset.GetString(DicomTags.VoiLutFunction)?.Trim().ToUpperInvariant() switch
        {
            "LINEAR_EXACT" => VoiLutFunction.LinearExact,
            "SIGMOID" => VoiLutFunction.Sigmoid,
            _ => VoiLutFunction.Linear,
        };
        var luts = dataset.GetSequence(DicomTags.VoiLutSequence)
            .Select(item => DicomLookupTables.ReadLut(item, signed))
            .OfType<LookupTable>()
            .ToArray();
        return new VoiSettings(windows, function, luts);
    }
}
