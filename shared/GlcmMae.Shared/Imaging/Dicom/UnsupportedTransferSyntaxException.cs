namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Pixel data in a transfer syntax that this installation cannot decode; the message names what would add it.</summary>
public sealed class UnsupportedTransferSyntaxException : DicomFormatException
{
    /// <summary>Creates the exception for <paramref name="transferSyntaxUid"/> with advice on how to get support.</summary>
    public UnsupportedTransferSyntaxException(string transferSyntaxUid, string name, string advice)
        : base($"Transfer syntax {name} ({transferSyntaxUid}) is not supported here. {advice}", -1, $"unsupported transfer syntax {transferSyntaxUid}")
    {
        TransferSyntaxUid = transferSyntaxUid;
    }

    /// <summary>The transfer syntax UID of the file.</summary>
    public string TransferSyntaxUid { get; }

    /// <inheritdoc />
    public override string ErrorCode => "UnsupportedTransferSyntax";
}
