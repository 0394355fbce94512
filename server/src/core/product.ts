/** The product's name and version, as the server, the CLI and SARIF reports state them (a test keeps the version equal to package.json's). */
export const PRODUCT_NAME = 'idm-relationships';
export const VERSION = '0.1.0';
