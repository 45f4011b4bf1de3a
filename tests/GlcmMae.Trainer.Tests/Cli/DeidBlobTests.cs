using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;

namespace GlcmMae.Trainer.Tests.Cli;

/// <summary><c>glcmmae deid az://in/prefix az://out/prefix</c> against Azurite: the blob paths of the command.</summary>
[Collection(TorchCollection.Name)]
public sealed class DeidBlobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_blob_prefix_is_de_identified_into_another_prefix_named_by_the_new_uids()
    {
        var blobs = azurite.CreateBlobServiceClient();
        var source = blobs.GetBlobContainerClient("training-raw");
        await source.CreateIfNotExistsAsync();
        await source.UploadBlobAsync("site-a/Doe_Jane/1.dcm", BinaryData.FromBytes(DicomWriter.Write(SyntheticDicom.GreyCine(1, _ => 80, "2.25.4242", "2.25.9001").WithPatient(), DicomTransferSyntax.ExplicitVRLittleEndian)));
        await source.UploadBlobAsync("site-b/other.dcm", BinaryData.FromBytes(DicomWriter.Write(SyntheticDicom.GreyCine(1, _ => 80, "2.25.5000", "2.25.5001"), DicomTransferSyntax.ExplicitVRLittleEndian)));
        Environment.SetEnvironmentVariable("GLCMMAE_Storage__ConnectionString", azurite.ConnectionString);
        try
        {
            var (exitCode, _, error) = await CliInvoker.InvokeAsync("deid", "az://training-raw/site-a", "az://training/deid/", "--json");

            Assert.True(exitCode == 0, error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GLCMMAE_Storage__ConnectionString", null);
        }

        var names = new List<string>();
        await foreach (var blob in blobs.GetBlobContainerClient("training").GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        // Only the prefix asked for, written under the output prefix as {study}/{series}/{instance}.dcm.
        var name = Assert.Single(names);
        Assert.Matches(@"^deid/2\.25\.\d+/2\.25\.\d+/2\.25\.\d+\.dcm$", name);
        var written = (await blobs.GetBlobContainerClient("training").GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();
        Assert.DoesNotContain("Doe", System.Text.Encoding.Latin1.GetString(written), StringComparison.Ordinal);
    }
}
