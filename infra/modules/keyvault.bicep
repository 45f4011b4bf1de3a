// Key Vault for the serving secrets: the privacy key the functions app pseudonymises blob names and DICOM UIDs with.
// Access is Entra-only (RBAC); the functions identity may read secret values, nothing more. The key itself is created
// by infra/deploy.sh between the two phases, so that it never passes through a template or a deployment's history.
@description('Azure region.')
param location string

@description('Vault name (3-24 letters, digits and dashes).')
@minLength(3)
@maxLength(24)
param vaultName string

@description('Tags applied to every resource.')
param tags object

@description('Close the vault to public networks: only its private endpoint, trusted Azure services and allowedIpRanges get in.')
param denyPublicNetwork bool

@description('Address ranges (CIDR) let through a closed vault: where infra/deploy.sh creates the key.')
param allowedIpRanges array = []

var ipRules = [
  for range in allowedIpRanges: {
    value: range
  }
]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: denyPublicNetwork ? 'Deny' : 'Allow'
      ipRules: ipRules
    }
  }
}

output vaultName string = vault.name
output vaultUri string = vault.properties.vaultUri
