export const packageName = 'baton';
