namespace GlcmMae.Shared.Pipeline;

/// <summary>How an event is written into a queue message's body.</summary>
public enum ScanEventEncoding
{
    /// <summary>The JSON text itself.</summary>
    Plain,

    /// <summary>The JSON's UTF-8 bytes, base64-encoded (what the Storage SDKs and the Functions host write by default).</summary>
    Base64,
}
