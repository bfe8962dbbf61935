FROM php:8.3-apache
RUN docker-php-ext-install pdo pdo_mysql opcache
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
COPY . /var/www/html/
RUN composer install --no-dev --optimize-autoloader \
 && chown -R www-data:www-data /var/www/html
EXPOSE 80
STOPSIGNAL SIGWINCH
