export const packageName = 'demo-app';
