// Container registry for the functions and trainer images; pulls use managed identities (no admin user).
@description('Azure region.')
param location string

@description('Registry name (5-50 letters and digits).')
@minLength(5)
@maxLength(50)
param registryName string

@description('Tags applied to every resource.')
param tags object

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

output registryName string = registry.name
output loginServer string = registry.properties.loginServer
