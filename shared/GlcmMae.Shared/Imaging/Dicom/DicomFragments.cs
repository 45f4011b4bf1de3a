namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Encapsulated pixel data: the Basic Offset Table and the fragments that follow it (PS3.5 A.4).</summary>
/// <param name="BasicOffsetTable">Offsets of each frame's first fragment, relative to the first fragment's item tag; empty when absent.</param>
/// <param name="Fragments">The fragment payloads in order.</param>
/// <param name="FragmentOffsets">Offset of each fragment's item tag relative to the first fragment's item tag.</param>
public sealed record DicomFragments(
    IReadOnlyList<uint> BasicOffsetTable,
    IReadOnlyList<ReadOnlyMemory<byte>> Fragments,
    IReadOnlyList<long> FragmentOffsets);
