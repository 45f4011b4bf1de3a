using System.Security.Cryptography;
using System.Text;

namespace GlcmMae.Shared.Contracts;

/// <summary>Idempotent message ids: the same blob version classified by the same model always gets the same id.</summary>
public static class MessageIds
{
    /// <summary>Hex SHA-256 of "uri\netag\nmodelVersion".</summary>
    public static string For(string blobUri, string? etag, string? modelVersion) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{blobUri}\n{etag}\n{modelVersion}")));
}
