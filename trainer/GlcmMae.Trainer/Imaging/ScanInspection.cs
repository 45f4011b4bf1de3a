using System.Text.Json.Nodes;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Trainer.Imaging;

/// <summary>Builds the JSON that <c>glcmmae inspect</c> prints; patient attributes and private tags only on request.</summary>
internal static class ScanInspection
{
    private const int MaxTextLength = 256;

    public static JsonObject Describe(ScanDocument document, bool showPhi)
    {
        var metadata = document.Metadata;
        var json = new JsonObject
        {
            ["format"] = metadata.Format.ToString().ToLowerInvariant(),
            ["columns"] = metadata.Columns,
            ["rows"] = metadata.Rows,
            ["frames"] = metadata.Frames,
            ["samplesPerPixel"] = metadata.SamplesPerPixel,
            ["bitsStored"] = metadata.BitsStored,
            ["photometricInterpretation"] = metadata.PhotometricInterpretation,
            ["modality"] = metadata.Modality,
            ["bodyPartExamined"] = metadata.BodyPartExamined,
            ["studyInstanceUid"] = metadata.StudyInstanceUid,
            ["seriesInstanceUid"] = metadata.SeriesInstanceUid,
            ["sopInstanceUid"] = metadata.SopInstanceUid,
        };

        if (document.Dicom is { } file)
        {
            json["transferSyntax"] = new JsonObject { ["uid"] = file.TransferSyntax.Uid, ["name"] = file.TransferSyntax.Name };
            json["attributes"] = Attributes(file.Dataset, showPhi);
            json["phiShown"] = showPhi;
        }

        return json;
    }

    private static JsonArray Attributes(DicomDataset dataset, bool showPhi)
    {
        var attributes = new JsonArray();
        foreach (var element in dataset.Elements)
        {
            if (!showPhi && DicomTags.IsProtected(element.Tag))
            {
                continue;
            }

            var entry = new JsonObject { ["tag"] = element.Tag.ToString(), ["vr"] = element.VR.ToString() };
            if (element.VR == DicomVR.SQ)
            {
                entry["items"] = new JsonArray(element.Items.Select(item => (JsonNode)Attributes(item, showPhi)).ToArray());
            }
            else if (element.Fragments is { } fragments)
            {
                entry["fragments"] = fragments.Fragments.Count;
            }
            else if (DicomVRInfo.IsText(element.VR))
            {
                var text = dataset.GetString(element.Tag) ?? string.Empty;
                entry["value"] = text.Length > MaxTextLength ? text[..MaxTextLength] + "..." : text;
            }
            else if (element.Value.Length <= 64 && DicomVRInfo.ValueSize(element.VR) > 1)
            {
                entry["value"] = new JsonArray(dataset.GetDoubles(element.Tag).Select(v => (JsonNode)v).ToArray());
            }
            else
            {
                entry["length"] = element.Value.Length;
            }

            attributes.Add(entry);
        }

        return attributes;
    }
}
