using System.Globalization;
using System.Security;
using System.Text;

namespace Firecrest.Core.DataTransfer.Client;

/// <summary>The body of S3 CompleteMultipartUpload.</summary>
public static class CompleteMultipartXml
{
    /// <summary>XML listing <paramref name="parts"/> sorted by part number; every part 1..<paramref name="partCount"/> must be present.</summary>
    public static string Build(IEnumerable<UploadedPart> parts, int partCount)
    {
        var sorted = parts.GroupBy(p => p.Number).Select(g => g.Last()).OrderBy(p => p.Number).ToList();
        if (sorted.Count != partCount || sorted.Where((p, i) => p.Number != i + 1).Any())
            throw new HpcException(HpcErrorKind.Internal, $"Cannot complete the upload: {sorted.Count} of {partCount} parts are done.");
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        foreach (var p in sorted)
            xml.Append("<Part><PartNumber>").Append(p.Number.ToString(CultureInfo.InvariantCulture)).Append("</PartNumber><ETag>")
                .Append(SecurityElement.Escape(p.ETag)).Append("</ETag></Part>");
        return xml.Append("</CompleteMultipartUpload>").ToString();
    }

    /// <summary>S3 may answer 200 with an &lt;Error&gt; document; true when <paramref name="body"/> is one.</summary>
    public static bool IsError(string? body) => body is not null && body.Contains("<Error>", StringComparison.Ordinal);
}
