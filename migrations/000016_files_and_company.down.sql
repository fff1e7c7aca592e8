DROP TABLE company_profile;
DROP TABLE files;
