// Container registry for the functions and trainer images; pulls use managed identities (no admin user).
@description('Azure region.')
param location string

@description('Registry name (5-50 letters and digits).')
@minLength(5)
@maxLength(50)
param registryName string

@description('Tags applied to every resource.')
param tags object

@description('Close the registry to public networks (Premium, which private endpoints and network rules need): pulls come through the private endpoint, builds from ACR Tasks as a trusted service, and data-plane calls from allowedIpRanges.')
param denyPublicNetwork bool

@description('Address ranges (CIDR) let through a closed registry: where operators run infra/deploy.sh.')
param allowedIpRanges array = []

var ipRules = [
  for range in allowedIpRanges: {
    value: range
    action: 'Allow'
  }
]

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: tags
  sku: {
    name: denyPublicNetwork ? 'Premium' : 'Standard'
  }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Enabled'
    // az acr build runs on ACR Tasks, outside the network: it reaches a closed registry as a trusted service
    // (https://learn.microsoft.com/azure/container-registry/allow-access-trusted-services).
    networkRuleBypassOptions: 'AzureServices'
    networkRuleSet: denyPublicNetwork
      ? {
          defaultAction: 'Deny'
          ipRules: ipRules
        }
      : null
  }
}

output registryName string = registry.name
output loginServer string = registry.properties.loginServer
